"""Forms of the showcase pages. They only parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from showcase.models import TRL_MEANINGS, Achievement, Inquiry, TransferListing


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
    status = forms.ChoiceField(label=_("Status"), choices=Inquiry.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CaseForm(forms.Form):
    value = forms.DecimalField(label=_("Contract value (yuan)"), min_value=0, max_digits=14, decimal_places=2)
    concluded_on = forms.DateField(label=_("Concluded on"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("Mode"), choices=TransferListing.Mode.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
