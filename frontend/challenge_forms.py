"""The forms of the challenge pages. They only parse what the person typed into the shapes the
services take (criteria lines, plan milestones); every rule is checked again by the service."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from alliances.models import Team
from alliances.owners import owner_key
from challenges.models import Challenge, Problem
from challenges.selectors import BOARD_SORTS
from platform_core.orgs.models import Studio, Unit
from platform_core.uploads import CHALLENGE_FILE, PolicyFileField

from .widgets import IsoDateInput, IsoDateTimeInput

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *Challenge.State.choices]
    )
    field = forms.CharField(label=_("Field"), required=False, max_length=40)
    unit = forms.ModelChoiceField(
        label=_("Posting unit"), required=False, queryset=Unit.objects.order_by("name"), empty_label=_("Any")
    )
    reward_min = forms.DecimalField(label=_("Reward from"), required=False, min_value=0, max_digits=12)
    reward_max = forms.DecimalField(label=_("Reward up to"), required=False, min_value=0, max_digits=12)
    deadline_before = forms.DateField(label=_("Deadline before"), required=False, widget=IsoDateInput())
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("deadline", _("Deadline")), ("newest", _("Newest")), ("reward", _("Reward"))],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        before = data.get("deadline_before")
        return {
            "query": data.get("q", ""),
            "state": data.get("state", ""),
            "field": data.get("field", ""),
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "reward_min": data.get("reward_min"),
            "reward_max": data.get("reward_max"),
            "deadline_before": datetime.datetime.combine(before, datetime.time.max, tzinfo=datetime.UTC)
            if before
            else None,
            "sort": data.get("sort") if data.get("sort") in BOARD_SORTS else "deadline",
        }


def attachment_field(*, label, required: bool = True) -> forms.FileField:
    # The limits are the upload policy's; the attachments service enforces them whoever calls.
    return PolicyFileField(kind=CHALLENGE_FILE, label=label, required=required)


def _lines(text: str) -> list[list[str]]:
    """Non-empty lines, each split on "|" (the separator the help texts show)."""
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


class ChallengeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Posting unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(label=_("Statement"), widget=TEXTAREA)
    requirements = forms.CharField(label=_("Requirements"), widget=TEXTAREA, required=False)
    acceptance_criteria = forms.CharField(label=_("Acceptance criteria"), widget=TEXTAREA, required=False)
    fields_text = forms.CharField(
        label=_("Fields"), required=False, help_text=_("Separate fields with commas."), max_length=400
    )
    reward_amount = forms.DecimalField(label=_("Reward amount (yuan)"), min_value=0, max_digits=12)
    reward_form = forms.ChoiceField(label=_("Reward form"), choices=Challenge.RewardForm.choices)
    bidding_deadline = forms.DateTimeField(label=_("Bidding deadline"), widget=IsoDateTimeInput())
    expected_delivery = forms.DateField(label=_("Expected delivery"), widget=IsoDateInput())
    eligibility = forms.ChoiceField(label=_("Eligibility"), choices=Challenge.Eligibility.choices)
    # Checkbox lists, not <select multiple>: they need no Ctrl-click and work with a thumb.
    eligible_units = forms.ModelMultipleChoiceField(
        label=_("Eligible units"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Some units, studio types or levels: a unit admits its subunits; none ticked, any."),
    )
    eligible_studio_types = forms.MultipleChoiceField(
        label=_("Eligible studio types"),
        choices=Studio.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_levels = forms.MultipleChoiceField(
        label=_("Eligible studio levels"),
        choices=Studio.Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_studios = forms.ModelMultipleChoiceField(
        label=_("Invited studios (定向揭榜)"),
        queryset=Studio.objects.filter(status=Studio.Status.ACTIVE).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("By invitation only: only the invited studios and teams see the challenge and bid."),
    )
    invited_teams = forms.ModelMultipleChoiceField(
        label=_("Invited teams (定向揭榜)"),
        queryset=Team.objects.exclude(status=Team.Status.ARCHIVED).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ip_ownership = forms.ChoiceField(label=_("IP ownership"), choices=Challenge.IpOwnership.choices)
    ip_licence_to_poster = forms.BooleanField(label=_("Licence to the poster"), required=False)
    confidential = forms.BooleanField(label=_("Confidentiality required"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    award_mode = forms.ChoiceField(label=_("Award mode"), choices=Challenge.AwardMode.choices)
    max_winners = forms.IntegerField(label=_("Maximum winners"), min_value=1, max_value=10, initial=1)
    show_bid_count = forms.BooleanField(label=_("Show the bid count"), required=False, initial=True)
    criteria_text = forms.CharField(
        label=_("Review criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name | weight. The weights add up to 100."),
        initial="技术方案 | 50\n团队能力 | 30\n预算合理性 | 20",
    )

    RELATIONS = ("eligible_units", "invited_studios", "invited_teams")
    # challenge_create / challenge_update name these fields differently in the errors they raise.
    service_fields_shown_as = {"criteria": "criteria_text", "fields": "fields_text"}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_criteria_text(self) -> list[tuple[str, int]]:
        criteria = []
        for parts in _lines(self.cleaned_data["criteria_text"]):
            try:
                criteria.append((parts[0], int(parts[1])))
            except (IndexError, ValueError):
                raise forms.ValidationError(_("Write each criterion as: name | weight.")) from None
        if sum(weight for _name, weight in criteria) != 100:
            raise forms.ValidationError(_("The weights of the criteria must add up to 100."))
        return criteria

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("unit")
        data["fields"] = [
            part.strip() for part in data.pop("fields_text").replace("，", ",").split(",") if part.strip()
        ]
        data["criteria"] = data.pop("criteria_text")
        return data

    @classmethod
    def initial_from(cls, challenge: Challenge) -> dict:
        return {
            **{name: getattr(challenge, name) for name in cls.base_fields if hasattr(challenge, name)},
            "unit": challenge.unit_id,
            **{name: list(getattr(challenge, name).all()) for name in cls.RELATIONS},
            "fields_text": ", ".join(challenge.fields),
            "criteria_text": "\n".join(f"{c.name} | {c.weight}" for c in challenge.criteria.all()),
        }


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=30)
    text = forms.CharField(label=_("Comments or reason"), required=False, widget=TEXTAREA, max_length=4000)


class QuestionForm(forms.Form):
    body = forms.CharField(label=_("Your question"), widget=TEXTAREA, max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=TEXTAREA, max_length=4000)


class BidForm(forms.Form):
    bidder = forms.ChoiceField(label=_("Bid as"))
    approach = forms.CharField(label=_("Approach"), widget=TEXTAREA)
    plan = forms.CharField(label=_("Plan"), widget=TEXTAREA, required=False)
    budget = forms.DecimalField(label=_("Budget (yuan)"), min_value=0, max_digits=12)
    timeline = forms.CharField(label=_("Timeline"), required=False, max_length=4000)
    team_text = forms.CharField(
        label=_("Team composition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: name | role."),
    )
    qualifications = forms.CharField(label=_("Qualifications"), widget=TEXTAREA, required=False)
    milestones_text = forms.CharField(
        label=_("Plan milestones"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: title | due date (YYYY-MM-DD) | reward share in yuan (元) | deliverable."),
    )
    commitment_text = forms.CharField(
        label=_("Commitment letter (军令状)"),
        widget=TEXTAREA,
        initial="我方郑重承诺：按期保质完成揭榜任务，如未达到验收标准，愿承担相应责任。",
    )
    signer_name = forms.CharField(label=_("Signed by (your name)"), max_length=60)
    signed = forms.BooleanField(label=_("I sign this commitment letter on behalf of the bidder."))
    file = attachment_field(label=_("Attach a file to the bid"), required=False)

    # bid_submit / bid_update name these fields differently in the errors they raise.
    service_fields_shown_as = {"milestones": "milestones_text", "team_composition": "team_text"}

    def __init__(self, *args, options=(), reward: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bidder"].choices = options  # type: ignore[attr-defined]
        if reward is not None:
            # The share is a yuan amount due out of the challenge's reward; the service checks the sum.
            self.fields["milestones_text"].help_text = _(
                "One per line: title | due date (YYYY-MM-DD) | reward share in yuan (元) | deliverable. "
                "The shares add up to at most the reward, ¥%(reward)s."
            ) % {"reward": number_format(reward, decimal_pos=0, force_grouping=True)}

    def clean_milestones_text(self) -> list[dict]:
        milestones = []
        for parts in _lines(self.cleaned_data["milestones_text"]):
            parts += ["", "", "", ""]
            try:
                due = datetime.date.fromisoformat(parts[1])
                share = Decimal(parts[2] or "0")
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("Write each milestone as: title | YYYY-MM-DD | reward share in yuan | deliverable.")
                ) from None
            milestones.append(
                {"title": parts[0], "due_date": due, "reward_share": share, "deliverable": parts[3]}
            )
        return milestones

    def clean_team_text(self) -> list[dict]:
        return [
            {"name": parts[0], "role": parts[1] if len(parts) > 1 else ""}
            for parts in _lines(self.cleaned_data["team_text"])
        ]

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "approach": data["approach"],
            "plan": data["plan"],
            "budget": data["budget"],
            "timeline": data["timeline"],
            "team_composition": data["team_text"],
            "qualifications": data["qualifications"],
            "milestones": data["milestones_text"],
            "commitment_text": data["commitment_text"],
            "signer_name": data["signer_name"],
        }

    @classmethod
    def initial_from(cls, bid) -> dict:
        return {
            "bidder": owner_key(studio_id=bid.studio_id, team_id=bid.team_id),
            "approach": bid.approach,
            "plan": bid.plan,
            "budget": bid.budget,
            "timeline": bid.timeline,
            "team_text": "\n".join(f"{row['name']} | {row['role']}" for row in bid.team_composition),
            "qualifications": bid.qualifications,
            "milestones_text": "\n".join(
                f"{s.title} | {s.due_date:%Y-%m-%d} | {s.reward_share} | {s.deliverable}"
                for s in bid.plan_steps.all()
            ),
            "commitment_text": bid.commitment_text,
            "signer_name": bid.commitment_signer_name,
        }


class ScoreForm(forms.Form):
    """One bid's scores: a value and a comment per criterion (fields named per criterion id)."""

    def __init__(self, *args, criteria=(), prefix_id=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"value_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s (weight %(weight)d) score")
                % {"name": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": criterion.name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> list[dict]:
        return [
            {
                "criterion": c.pk,
                "value": self.cleaned_data[f"value_{c.pk}"],
                "comment": self.cleaned_data[f"comment_{c.pk}"],
            }
            for c in self.criteria
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=4000)


class ExpertForm(forms.Form):
    username = forms.CharField(label=_("Expert's username"), max_length=150)


class ClarificationForm(forms.Form):
    question = forms.CharField(label=_("Question to the bidder"), widget=TEXTAREA, max_length=4000)


class ClarificationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=TEXTAREA, max_length=4000)


class ProgressReportForm(forms.Form):
    body = forms.CharField(label=_("Progress report"), widget=TEXTAREA, max_length=20000)


class AttachmentForm(forms.Form):
    file = attachment_field(label=_("File"))


class AwardForm(forms.Form):
    rationale = forms.CharField(label=_("Rationale"), widget=TEXTAREA, max_length=4000)


class EvidenceForm(forms.Form):
    evidence_note = forms.CharField(label=_("Evidence"), widget=TEXTAREA, max_length=8000)
    file = attachment_field(label=_("Evidence file"), required=False)


class MilestoneReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Send back"))],
        coerce=lambda value: value == "1",
    )
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReleaseForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount released"), min_value=0, max_digits=12)


class MidtermPointForm(forms.Form):
    position = forms.IntegerField(label=_("At milestone number"), min_value=1, max_value=50)


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Problem.Urgency.choices, initial=Problem.Urgency.NORMAL
    )
    file = attachment_field(label=_("Attachment"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into problem number"), min_value=1)
