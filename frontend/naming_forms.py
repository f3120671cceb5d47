"""The forms of naming rounds (示范性创新工作室命名): they parse what was typed; the services in
platform_core/orgs/naming/services.py hold the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_core.orgs.models import NamingRound, Studio
from platform_core.orgs.naming import permissions
from platform_core.orgs.standards import Standard
from platform_core.uploads import NAMING_EVIDENCE, PolicyFileField

from .team_forms import UsernameField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_WEIGHTS = {"political": 20, "breakthrough": 20, "achievements": 25, "talent": 20, "support": 15}


def _weight_field(name: str) -> str:
    return f"weight_{name}"


class NamingRoundOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"), choices=NamingRound.Kind.choices)
    level = forms.ChoiceField(label=_("Level"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "2026 年度示范性创新工作室命名"}),
    )
    year = forms.IntegerField(label=_("Year of the naming"), min_value=2000, max_value=2100)
    period_years = forms.IntegerField(label=_("Every (years)"), min_value=1, max_value=10, initial=2)
    nominations_close_on = forms.DateField(label=_("Nominations close on"), widget=DATE)
    assessment_close_on = forms.DateField(label=_("Self-assessments close on"), widget=DATE)
    scoring_close_on = forms.DateField(label=_("Expert scoring closes on"), widget=DATE)
    notice_ends_on = forms.DateField(label=_("Public notice (公示) ends on"), widget=DATE)
    pass_mark = forms.DecimalField(
        label=_("Pass mark of a re-assessment"), min_value=0, max_value=100, initial=60, decimal_places=2
    )
    experts = forms.CharField(label=_("Expert panel (user names, comma-separated)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = permissions.round_levels_for(user) if user is not None else []
        self.fields["level"].choices = [(v, label) for v, label in Studio.Level.choices if v in levels]
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        for offset, name in enumerate(
            ("nominations_close_on", "assessment_close_on", "scoring_close_on", "notice_ends_on"), start=1
        ):
            self.fields[name].initial = today + datetime.timedelta(days=30 * offset)
        for standard in Standard:
            self.fields[_weight_field(standard.value)] = forms.IntegerField(
                label=_("Weight (%%) of: %(standard)s") % {"standard": standard.label},
                min_value=0,
                max_value=100,
                initial=DEFAULT_WEIGHTS[standard.value],
            )

    service_fields_shown_as = {"weights": _weight_field(Standard.values[0])}

    def weights(self) -> dict[str, int]:
        return {s: self.cleaned_data[_weight_field(s)] for s in Standard.values}

    def clean_experts(self) -> list:
        names = [n.strip() for n in self.cleaned_data["experts"].replace("，", ",").split(",") if n.strip()]
        names = list(dict.fromkeys(names))
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        unknown = [name for name in names if name not in users]
        if unknown:
            raise forms.ValidationError(
                _("No active account has these user names: %(names)s") % {"names": "、".join(unknown)}
            )
        return [users[name] for name in names]


class NamingExpertForm(forms.Form):
    username = UsernameField(label=_("Add an expert (user name)"), max_length=150)


class NominateForm(forms.Form):
    studio = forms.TypedChoiceField(label=_("Studio to nominate"), coerce=int)
    statement = forms.CharField(
        label=_("Recommendation"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, studios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].choices = [(s.pk, f"{s.name}（{s.unit}）") for s in studios]


class AssessmentForm(forms.Form):
    """A text per standard; the page's two buttons save it or hand it in (`action`)."""

    def __init__(self, *args, texts: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for standard in Standard:
            self.fields[f"text_{standard.value}"] = forms.CharField(
                label=standard.label,
                required=False,
                max_length=8000,
                initial=(texts or {}).get(standard.value, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def texts(self) -> dict[str, str]:
        return {s: self.cleaned_data[f"text_{s}"] for s in Standard.values}


class EvidenceForm(forms.Form):
    standard = forms.ChoiceField(label=_("Standard it evidences"), choices=Standard.choices)
    file = PolicyFileField(kind=NAMING_EVIDENCE, label=_("Evidence file"))


class NamingScoreForm(forms.Form):
    service_fields_shown_as = {standard: f"score_{standard}" for standard in Standard.values}

    def __init__(self, *args, weights=(), initial_scores: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label, weight in weights:
            self.fields[f"score_{value}"] = forms.DecimalField(
                label=f"{label}（{weight}%）",
                initial=(initial_scores or {}).get(value),
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 0.5}),
            )

    def scores(self) -> dict[str, object]:
        return {s: self.cleaned_data[f"score_{s}"] for s in Standard.values}


class PublishForm(forms.Form):
    named = forms.TypedMultipleChoiceField(
        label=_("Named (or, in a re-assessment, passed)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notice_ends_on = forms.DateField(label=_("Public notice (公示) ends on"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Reason for who fails a re-assessment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, ranking=(), pass_mark=None, reassessment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].choices = [  # type: ignore[attr-defined]
            (n.pk, f"{n.rank or '–'}. {n.studio.name}（{n.total if n.total is not None else '–'}）")
            for n in ranking
        ]
        if pass_mark is not None and not self.is_bound:
            self.fields["named"].initial = [
                n.pk for n in ranking if n.total is not None and (not reassessment or n.total >= pass_mark)
            ]
        if reassessment:
            del self.fields["notice_ends_on"]
        else:
            del self.fields["reason"]


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the objection"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismissed", _("Dismiss: the studio stays on the list")),
            ("upheld", _("Uphold: withdraw the nomination")),
        ],
    )
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
