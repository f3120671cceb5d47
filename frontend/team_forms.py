"""Forms of the team, alliance and mentor-apprentice pages (frontend/views/teams.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from alliances.models import Team
from platform_core.orgs.models import Studio


class UsernameField(forms.CharField):
    """A username, with suggestions by name and unit as one types (static/frontend/people.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["data-people-source"] = reverse_lazy("api-people")

    def clean(self, value):
        username = super().clean(value)
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this username."))
        return user


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TeamEditForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Team.Status.choices)


class PersonForm(forms.Form):
    user = UsernameField(label=_("Username"), max_length=150)


class LeadForm(forms.Form):
    """The team's new lead, chosen among its members: the page fills the choices, the service
    checks that the person is a member (a select, so no people suggestions)."""

    user = forms.CharField(label=_("New lead"), max_length=150, widget=forms.Select)

    def clean_user(self):
        return UsernameField().clean(self.cleaned_data["user"])


class AllianceCreateForm(forms.Form):
    name = forms.CharField(label=_("Alliance name"), max_length=120)
    charter = forms.CharField(label=_("Charter"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    coordinator = forms.ModelChoiceField(label=_("Coordinating studio"), queryset=Studio.objects.none())

    def __init__(self, *args, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        if studios is not None:
            self.fields["coordinator"].queryset = studios


class StudioChoiceForm(forms.Form):
    studio = forms.ModelChoiceField(
        label=_("Studio"), queryset=Studio.objects.filter(status=Studio.Status.ACTIVE)
    )


class MentorPairForm(forms.Form):
    studio = forms.ModelChoiceField(label=_("Studio"), queryset=Studio.objects.none())
    mentor = UsernameField(label=_("Mentor (username)"), max_length=150)
    apprentice = UsernameField(label=_("Apprentice (username)"), max_length=150)
    skill = forms.CharField(label=_("Skill"), max_length=120)
    started_on = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        if studios is not None:
            self.fields["studio"].queryset = studios


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
