"""Forms of the showcase pages. They only parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from frontend.team_forms import UsernameField
from showcase.models import TRL_MEANINGS, Achievement, Inquiry, Round, TransferListing


class AchievementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Full description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    type = forms.ChoiceField(label=_("Type"), choices=Achievement.Type.choices)
    work_fields = forms.CharField(label=_("Fields (comma-separated)"), required=False, max_length=300)
    contributors = forms.CharField(
        label=_("Contributors"),
        help_text=_("One per line: name and share in %, e.g. 王建国 60. The shares add up to 100."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    patents = forms.CharField(
        label=_("Patents and IP"),
        required=False,
        help_text=_(
            "One per line: number, kind (invention, utility, design, software, other), "
            "status (filed, granted, expired)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    economic_benefit = forms.DecimalField(
        label=_("Economic benefit (yuan per year)"), required=False, min_value=0
    )
    benefit_method = forms.CharField(
        label=_("How the benefit was measured"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    other_benefits = forms.CharField(
        label=_("Other benefits"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_contributors(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["contributors"].splitlines():
            parts = line.replace("%", " ").split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(_("Give each contributor a share: 王建国 60"))
            rows.append({"name": " ".join(parts[:-1]), "share": parts[-1]})
        return rows

    def clean_patents(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["patents"].splitlines():
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if parts == [""]:
                continue
            if len(parts) != 3:
                raise forms.ValidationError(_("Give each patent as: number, kind, status"))
            rows.append({"number": parts[0], "kind": parts[1], "status": parts[2]})
        return rows

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["fields"] = data.pop("work_fields")
        return data


class AchievementCreateForm(AchievementForm):
    """A new achievement: also whose it is (a studio or team the user leads)."""

    owner = forms.ChoiceField(label=_("Owner"))
    field_order = ["owner"]

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = owners or [("", _("You lead no studio or team."))]

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("owner", None)
        return data


class ListingForm(forms.Form):
    maturity = forms.TypedChoiceField(
        label=_("Maturity (technology readiness level)"),
        coerce=int,
        choices=[(level, f"TRL {level} · {meaning}") for level, meaning in TRL_MEANINGS.items()],
    )
    modes = forms.MultipleChoiceField(
        label=_("Transfer modes"), choices=TransferListing.Mode.choices, widget=forms.CheckboxSelectMultiple
    )
    price = forms.DecimalField(label=_("Price (yuan; empty: negotiable)"), required=False, min_value=0)
    regions = forms.CharField(label=_("Regions it suits"), required=False, max_length=200)
    industries = forms.CharField(label=_("Industries it suits"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Contact name"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    is_active = forms.BooleanField(label=_("Open to inquiries"), required=False, initial=True)


class InquiryForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode of interest"), choices=TransferListing.Mode.choices)
    organisation = forms.CharField(label=_("Your organisation"), required=False, max_length=120)
    message = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class InquiryStatusForm(forms.Form):
    """The status control starts on no choice: a note alone changes nothing, and declining is a
    choice the user makes, never a default."""

    status = forms.ChoiceField(label=_("Change the status to"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, statuses: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = statuses if statuses is not None else list(Inquiry.Status.choices)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Choose a status…")), *allowed]


class CaseForm(forms.Form):
    value = forms.DecimalField(label=_("Contract value (yuan)"), min_value=0, max_digits=14, decimal_places=2)
    concluded_on = forms.DateField(label=_("Concluded on"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("Mode"), choices=TransferListing.Mode.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RoundOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "2026 年度优秀创新成果"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Scoring starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Scoring ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    criteria = forms.CharField(
        label=_("Criteria and weights"),
        help_text=_("One per line: name and weight. The weights add up to 100."),
        initial="创新性 40\n实用性 30\n经济效益 30",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    experts = forms.CharField(label=_("Expert panel (user names, comma-separated)"), required=False)

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.strip().rpartition(" ")
            if not name or not weight.isdigit():
                raise forms.ValidationError(_("Give each criterion as: name weight"))
            rows.append((name.strip(), int(weight)))
        return rows

    def clean_experts(self) -> list:
        """The panel's accounts; a name that is no active account is named back (a typo must not
        open a round with a smaller panel than intended)."""
        names = list(
            dict.fromkeys(n.strip() for n in self.cleaned_data["experts"].replace("，", ",").split(","))
        )
        names = [name for name in names if name]
        users = {
            user.username: user
            for user in get_user_model().objects.filter(username__in=names, is_active=True)
        }
        unknown = [name for name in names if name not in users]
        if unknown:
            raise forms.ValidationError(
                _("No active account has these usernames: %(names)s") % {"names": "、".join(unknown)}
            )
        return [users[name] for name in names]


class RoundExpertForm(forms.Form):
    username = UsernameField(label=_("Add an expert (user name)"), max_length=150)


class RoundScoreForm(forms.Form):
    """An expert's marks of one entry: a number per criterion (named `score-<criterion id>`) and
    one comment. The form parses the numbers; the service checks their range."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} ({criterion.weight}%)",
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 0.5}),
            )
        # The comment after the marks, as on the page before.
        self.order_fields([f"score-{c.pk}" for c in self.criteria] + ["comment"])

    def mark_fields(self) -> list[forms.BoundField]:
        return [self[f"score-{criterion.pk}"] for criterion in self.criteria]

    def scores(self) -> list[dict]:
        return [
            {
                "criterion": criterion.pk,
                "value": self.cleaned_data[f"score-{criterion.pk}"],
                "comment": self.cleaned_data["comment"],
            }
            for criterion in self.criteria
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
