"""Forms of the consultation pages. They only parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from frontend.team_forms import UsernameField
from platform_core.accounts.models import Committee
from platform_core.orgs.models import Studio
from platform_core.uploads import CONSULTATION_FILE, PolicyFileField


class OptionalUsernameField(UsernameField):
    def clean(self, value):
        return super().clean(value) if value else None


class AskForm(forms.Form):
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.order_by("pk"), to_field_name="code"
    )
    on_behalf = forms.ChoiceField(label=_("Asked by"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your question"),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    work_fields = forms.CharField(label=_("Fields of work (comma-separated)"), required=False, max_length=300)
    file = PolicyFileField(kind=CONSULTATION_FILE, label=_("File"), required=False)

    def __init__(self, *args, studios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf"].choices = [("", _("Myself"))] + [  # type: ignore[attr-defined]
            (str(studio.pk), _("Studio: %(name)s") % {"name": studio.name}) for studio in studios
        ]
        self.studios = {str(studio.pk): studio for studio in studios}

    def studio(self) -> Studio | None:
        return self.studios.get(self.cleaned_data.get("on_behalf") or "")


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=get_user_model().objects.none())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(pk__in=[user.pk for user in choices])
        self.fields["expert"].queryset = people  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Final answer"),
        help_text=_("Sending it closes the consultation."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


RATINGS = [(str(value), str(value)) for value in range(5, 0, -1)]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating (1 to 5)"), choices=RATINGS, coerce=int)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    chair = OptionalUsernameField(label=_("Chair (username)"), required=False)
    escalate_after_hours = forms.IntegerField(
        label=_("Hours before an untaken question goes to the chair"), min_value=1, max_value=720, initial=48
    )


class CommitteeNewForm(CommitteeForm):
    code = forms.SlugField(label=_("Code"), max_length=30, help_text=_("Letters, digits, - and _; set once."))

    field_order = ["code", "name", "description", "chair", "escalate_after_hours"]


class SeatForm(forms.Form):
    user = UsernameField(label=_("Expert (username)"))
