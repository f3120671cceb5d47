"""API input and output shapes. Inputs only parse; services validate and decide."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from alliances.models import Team
from platform_core.orgs.models import Studio, Unit
from platform_core.uploads import CHALLENGE_FILE, help_text_lazy

from .models import (
    MAX_CRITERIA,
    MAX_PLAN_STEPS,
    MAX_TEAM_ROWS,
    Attachment,
    Bid,
    BidMilestone,
    Challenge,
    Clarification,
    Milestone,
    Problem,
    ProgressReport,
    Question,
    ReviewCriterion,
    Score,
)

# Database ids are 32-bit signed on every backend we run; a larger number is refused as input
# (400) rather than reaching an `IN (…)` lookup that overflows (SQLite raises OverflowError).
MAX_ID = 2**31 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class CriterionField(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class CriterionOutput(serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ["id", "name", "weight"]


class ChallengeInput(serializers.Serializer):
    """Every field a poster sets on a draft; on PATCH, any subset."""

    title = serializers.CharField(max_length=200)
    statement = serializers.CharField(max_length=20000)
    requirements = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    acceptance_criteria = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    # DRF moves declared fields off the class, so this name does not shadow Serializer.fields.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), required=False, max_length=12
    )
    reward_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    reward_form = serializers.ChoiceField(choices=Challenge.RewardForm.choices, required=False)
    bidding_deadline = serializers.DateTimeField()
    expected_delivery = serializers.DateField()
    eligibility = serializers.ChoiceField(choices=Challenge.Eligibility.choices, required=False)
    eligible_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    # Plain strings here (the service checks them against the studio choices), so the schema
    # does not describe the studio type and level enums a second time under other names.
    eligible_studio_types = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="Studio types: " + ", ".join(Studio.Type.values),
    )
    eligible_levels = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="Studio levels: " + ", ".join(Studio.Level.values),
    )
    invited_studios = serializers.PrimaryKeyRelatedField(
        queryset=Studio.objects.all(), many=True, required=False
    )
    invited_teams = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    ip_ownership = serializers.ChoiceField(choices=Challenge.IpOwnership.choices, required=False)
    ip_licence_to_poster = serializers.BooleanField(required=False)
    confidential = serializers.BooleanField(required=False)
    ip_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=60)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    award_mode = serializers.ChoiceField(choices=Challenge.AwardMode.choices, required=False)
    max_winners = serializers.IntegerField(min_value=1, max_value=10, required=False)
    show_bid_count = serializers.BooleanField(required=False)
    criteria: serializers.ListSerializer = serializers.ListSerializer(
        child=CriterionField(), required=False, max_length=MAX_CRITERIA
    )

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        if "criteria" in data:
            data["criteria"] = [(row["name"], row["weight"]) for row in data["criteria"]]
        return data


class ChallengeCreateInput(ChallengeInput):
    unit_id = id_field()


class ChallengeListOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    state = serializers.CharField(source="effective_state")
    bid_count = serializers.IntegerField(source="public_bid_count", allow_null=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "title",
            "unit",
            "fields",
            "reward_amount",
            "reward_form",
            "bidding_deadline",
            "expected_delivery",
            "eligibility",
            "award_mode",
            "state",
            "bid_count",
            "created_at",
        ]


class BidOptionOutput(serializers.Serializer):
    studio_id = serializers.IntegerField(source="studio.pk", default=None)
    team_id = serializers.IntegerField(source="team.pk", default=None)
    name = serializers.SerializerMethodField()
    problem = serializers.CharField(help_text="Why this studio or team may not bid; empty when it may.")

    def get_name(self, option) -> str:
        return str(option.studio or option.team)


class ChallengeDetailOutput(ChallengeListOutput):
    criteria = CriterionOutput(many=True)
    poster = serializers.CharField(source="poster.name")
    bid_count = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    allowed_actions = serializers.ListField(child=serializers.CharField())
    bid_options = BidOptionOutput(many=True)
    source_problems: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta(ChallengeListOutput.Meta):
        fields = [
            *ChallengeListOutput.Meta.fields,
            "statement",
            "requirements",
            "acceptance_criteria",
            "eligible_studio_types",
            "eligible_levels",
            "ip_ownership",
            "ip_licence_to_poster",
            "confidential",
            "ip_notes",
            "contact_name",
            "contact_phone",
            "max_winners",
            "show_bid_count",
            "poster",
            "criteria",
            "return_comments",
            "award_rationale",
            "send_back_reasons",
            "closing_reason",
            "published_at",
            "allowed_actions",
            "bid_options",
            "source_problems",
        ]


class TransitionInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PlanStepInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    due_date = serializers.DateField()
    reward_share = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=Decimal(0))


class CompositionRow(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    role = serializers.CharField(max_length=60, allow_blank=True, default="")


class BidInput(serializers.Serializer):
    approach = serializers.CharField(max_length=20000)
    plan = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    timeline = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    team_composition: serializers.ListSerializer = serializers.ListSerializer(
        child=CompositionRow(), required=False, max_length=MAX_TEAM_ROWS
    )
    qualifications = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    commitment_text = serializers.CharField(max_length=4000)
    signer_name = serializers.CharField(max_length=60)
    milestones: serializers.ListSerializer = serializers.ListSerializer(
        child=PlanStepInput(), max_length=MAX_PLAN_STEPS
    )


class BidCreateInput(BidInput):
    studio_id = id_field(required=False)
    team_id = id_field(required=False)


class PlanStepOutput(serializers.ModelSerializer):
    class Meta:
        model = BidMilestone
        fields = ["position", "title", "deliverable", "due_date", "reward_share"]


def _status_field(choices) -> serializers.CharField:
    # A string with its values listed: several models have a `status`, and one enum per model
    # would collide in the schema under the same name.
    return serializers.CharField(read_only=True, help_text="One of: " + ", ".join(choices.values))


class BidOutput(serializers.ModelSerializer):
    status = _status_field(Bid.Status)
    bidder = serializers.SerializerMethodField()
    bidder_kind = serializers.SerializerMethodField()
    plan_steps = PlanStepOutput(many=True)
    commitment_signed_by = serializers.CharField(source="commitment_signer_name")

    class Meta:
        model = Bid
        fields = [
            "id",
            "challenge_id",
            "bidder",
            "bidder_kind",
            "studio_id",
            "team_id",
            "status",
            "shortlisted",
            "approach",
            "plan",
            "budget",
            "timeline",
            "team_composition",
            "qualifications",
            "commitment_text",
            "commitment_signed_by",
            "commitment_signed_at",
            "plan_steps",
            "feedback",
            "elimination_reason",
            "submitted_at",
            "updated_at",
        ]

    def get_bidder(self, bid: Bid) -> str:
        return str(bid.bidder)

    def get_bidder_kind(self, bid: Bid) -> str:
        return "studio" if bid.studio_id else "team"


class ExpertAssignInput(serializers.Serializer):
    expert_id = id_field()


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ScoreRow(serializers.Serializer):
    criterion = id_field()
    value = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ScoresInput(serializers.Serializer):
    bid_id = id_field()
    stage = serializers.ChoiceField(choices=Score.Stage.choices, default=Score.Stage.BID)
    scores = ScoreRow(many=True)


class ShortlistInput(serializers.Serializer):
    shortlisted = serializers.BooleanField()


class AwardInput(serializers.Serializer):
    winners = serializers.ListField(child=id_field(), min_length=1, max_length=10)
    rationale = serializers.CharField(max_length=4000)
    feedback = serializers.DictField(
        child=serializers.CharField(max_length=4000, allow_blank=True), required=False, default=dict
    )


class MidtermPointInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=100)


class MidtermInput(serializers.Serializer):
    continuing = serializers.ListField(child=id_field(), min_length=1, max_length=10)
    ended = serializers.DictField(child=serializers.CharField(max_length=4000), required=False, default=dict)


class QuestionInput(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class QuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "body", "answer", "created_at", "answered_at"]


class ClarificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Clarification
        fields = ["id", "bid_id", "question", "answer", "asked_at", "answered_at"]


class MilestoneOutput(serializers.ModelSerializer):
    """What anyone who sees the challenge may read: title, status, dates (the plan is the bid's)."""

    status = _status_field(Milestone.Status)
    is_overdue = serializers.BooleanField()

    class Meta:
        model = Milestone
        fields = ["id", "bid_id", "position", "title", "due_date", "status", "is_overdue"]


class MilestoneDetailOutput(MilestoneOutput):
    """For the team doing the work and those who oversee it (permissions.can_see_milestone_evidence):
    the winning plan's deliverable and reward stages too."""

    class Meta(MilestoneOutput.Meta):
        fields = [
            *MilestoneOutput.Meta.fields,
            "deliverable",
            "reward_due",
            "reward_released",
            "evidence_note",
            "submitted_at",
            "review_comments",
            "reviewed_at",
            "reward_released_at",
        ]


class EvidenceInput(serializers.Serializer):
    evidence_note = serializers.CharField(max_length=8000)


class MilestoneReviewInput(serializers.Serializer):
    accept = serializers.BooleanField()
    comments = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class ReleaseInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class ReportInput(serializers.Serializer):
    body = serializers.CharField(max_length=20000)


class ProgressReportOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.name")

    class Meta:
        model = ProgressReport
        fields = ["id", "bid_id", "author", "body", "created_at"]


class ProblemInput(serializers.Serializer):
    unit_id = id_field()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    urgency = serializers.ChoiceField(choices=Problem.Urgency.choices, default=Problem.Urgency.NORMAL)


class ProblemOutput(serializers.ModelSerializer):
    status = _status_field(Problem.Status)
    unit = serializers.CharField(source="unit.name")
    submitter = serializers.CharField(source="submitter.name")

    class Meta:
        model = Problem
        fields = [
            "id",
            "title",
            "description",
            "unit",
            "urgency",
            "submitter",
            "status",
            "merged_into_id",
            "reject_reason",
            "challenge_id",
            "created_at",
        ]


class MergeInput(serializers.Serializer):
    into_id = id_field()


class DraftFromProblemsInput(ChallengeInput):
    problem_ids = serializers.ListField(child=id_field(), min_length=1, max_length=20)


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text=help_text_lazy(CHALLENGE_FILE))


class AttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "uploaded_at", "url"]

    def get_url(self, attachment: Attachment) -> str:
        return reverse("api-challenge-attachment", args=[attachment.pk])


class ExpertSuggestionOutput(serializers.Serializer):
    """A suggested expert: what a logged-in member may learn of anyone, with the committee and
    fields of expertise that make the suggestion."""

    id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.name")
    unit = serializers.CharField(source="user.unit.name", default=None, allow_null=True)
    committee = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
