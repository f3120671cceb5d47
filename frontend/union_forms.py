"""Forms of the union's acts on studios: naming one, and renaming it or changing its leader, unit,
type or level."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_core.orgs.models import Studio, Unit

from .team_forms import UsernameField


class StudioCreateForm(forms.Form):
    name = forms.CharField(label=_("Studio name"), max_length=120)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    type = forms.ChoiceField(label=_("Type"), choices=Studio.Type.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Studio.Level.choices, initial=Studio.Level.GRASSROOTS)
    leader = UsernameField(label=_("Leader's username"), max_length=150)
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )
    work_fields = forms.CharField(
        label=_("Fields of work"), required=False, max_length=400, help_text=_("Separate with commas.")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class StudioAdministerForm(forms.Form):
    """Every field is filled with the studio's present value; what is left as it was is not changed."""

    name = forms.CharField(label=_("Studio name"), max_length=120)
    leader = UsernameField(label=_("Leader's username"), max_length=150)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.exclude(kind=Unit.Kind.GROUP))
    type = forms.ChoiceField(label=_("Type"), choices=Studio.Type.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Studio.Level.choices)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
