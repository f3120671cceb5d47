"""Challenges (揭榜挂帅): problems, challenges, sealed bids, expert review, milestones, Q&A.

Rules live in lifecycle.py (states and transitions) and permissions.py (who sees and does what);
every write goes through services/. The models hold data and the constraints the database itself
must guarantee: one bidder per bid, one active bid per bidder, one score per expert, bid and
criterion, one reminder per (challenge, kind, recipient, due).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import attachment_upload_to, private_storage

# Bounds on the lists a poster or a bidder sends (API and services both refuse more): positions
# are small integers, and a bid or a challenge with thousands of rows is no bid or challenge.
MAX_CRITERIA = 20
MAX_PLAN_STEPS = 50
MAX_TEAM_ROWS = 50


class Problem(models.Model):
    """A problem raised by a member (问题收集), triaged into a challenge draft, merged or rejected."""

    class Urgency(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged into another problem")
        REJECTED = "rejected", _("Rejected")
        DRAFTED = "drafted", _("Turned into a challenge")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems"
    )
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitter"),
        on_delete=models.PROTECT,
        related_name="submitted_problems",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    challenge = models.ForeignKey(
        "Challenge",
        verbose_name=_("challenge drafted from it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_problems",
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="merged", merged_into__isnull=False)
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="problem_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reject_reason=""),
                name="problem_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="problem_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Challenge(models.Model):
    """A challenge (课题/榜单) posted by a unit. Its state changes only through lifecycle.py."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        PUBLISHED = "published", _("Open for bids")
        BIDDING_CLOSED = "bidding_closed", _("Bidding closed")
        UNDER_REVIEW = "under_review", _("Under review")
        AWARDED = "awarded", _("Awarded")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FAILED = "failed", _("Failed")

    class RewardForm(models.TextChoices):
        MONEY = "money", _("Money")
        HONOUR = "honour", _("Honour")
        CONTRACT = "contract", _("Follow-up contract")

    class Eligibility(models.TextChoices):
        OPEN = "open", _("Open to all")
        RESTRICTED = "restricted", _("Some units, studio types or levels")
        INVITATION = "invitation", _("By invitation only (定向揭榜)")

    class IpOwnership(models.TextChoices):
        POSTER = "poster", _("The posting unit")
        BIDDER = "bidder", _("The winning bidder")
        JOINT = "joint", _("Jointly")

    class AwardMode(models.TextChoices):
        SINGLE = "single", _("One winner")
        RACING = "racing", _("Several in parallel (赛马制)")

    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"))
    requirements = models.TextField(_("requirements"), blank=True)
    acceptance_criteria = models.TextField(_("acceptance criteria"), blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # The same labels as "|a|b|", so the board filters a field with one portable LIKE.
    fields_key = models.CharField(max_length=400, blank=True, editable=False)
    # Unigrams and bigrams of title and statement (challenges/search.py): the board's text search.
    search_grams = models.TextField(editable=False, blank=True, default="")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("posting unit"), on_delete=models.PROTECT, related_name="challenges"
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("poster"),
        on_delete=models.PROTECT,
        related_name="posted_challenges",
    )
    reward_amount = models.DecimalField(
        _("reward amount"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    reward_form = models.CharField(
        _("reward form"), max_length=20, choices=RewardForm.choices, default=RewardForm.MONEY
    )
    bidding_deadline = models.DateTimeField(_("bidding deadline"))
    expected_delivery = models.DateField(_("expected delivery"))
    eligibility = models.CharField(
        _("eligibility"), max_length=20, choices=Eligibility.choices, default=Eligibility.OPEN
    )
    eligible_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("eligible units"), blank=True, related_name="+"
    )
    eligible_studio_types = models.JSONField(_("eligible studio types"), default=list, blank=True)
    eligible_levels = models.JSONField(_("eligible studio levels"), default=list, blank=True)
    invited_studios = models.ManyToManyField(
        "orgs.Studio", verbose_name=_("invited studios"), blank=True, related_name="challenge_invitations"
    )
    invited_teams = models.ManyToManyField(
        "alliances.Team", verbose_name=_("invited teams"), blank=True, related_name="challenge_invitations"
    )
    ip_ownership = models.CharField(
        _("IP ownership"), max_length=20, choices=IpOwnership.choices, default=IpOwnership.POSTER
    )
    ip_licence_to_poster = models.BooleanField(_("licence to the poster"), default=True)
    confidential = models.BooleanField(_("confidentiality required"), default=False)
    ip_notes = models.TextField(_("IP terms, details"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    award_mode = models.CharField(
        _("award mode"), max_length=20, choices=AwardMode.choices, default=AwardMode.SINGLE
    )
    max_winners = models.PositiveSmallIntegerField(
        _("maximum winners"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    show_bid_count = models.BooleanField(_("show the bid count"), default=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    return_comments = models.TextField(_("comments on return"), blank=True)
    award_rationale = models.TextField(_("award rationale"), blank=True)
    send_back_reasons = models.TextField(_("reasons for sending back"), blank=True)
    closing_reason = models.TextField(_("reason for withdrawal or failure"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A race holds one mid-term review; once held, neither the review nor its point is set again.
    midterm_reviewed_at = models.DateTimeField(_("mid-term review held at"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_mode="racing") | models.Q(max_winners=1),
                name="challenge_single_award_has_one_winner",
            ),
            models.CheckConstraint(
                condition=models.Q(reward_amount__gte=0), name="challenge_reward_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "bidding_deadline"], name="challenge_state_deadline_idx"),
            # The board's sorts (selectors.BOARD_SORTS), ties by id: its first page walks one of
            # these and stops after 20 rows, instead of annotating and sorting every challenge
            # (at 10,000 the bid-count subquery ran 10,000 times for a page of 20).
            models.Index(fields=["bidding_deadline", "id"], name="challenge_board_deadline"),
            models.Index(fields=["-reward_amount", "-id"], name="challenge_board_reward"),
            models.Index(fields=["-created_at", "-id"], name="challenge_board_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic(self) -> str:
        return f"challenge:{self.pk}"

    def set_fields(self, labels: list[str]) -> None:
        self.fields = labels
        self.fields_key = "".join(f"|{label}" for label in labels) + ("|" if labels else "")


class ReviewCriterion(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=80)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["challenge", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="criterion_name_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Bid(models.Model):
    """A sealed bid (揭榜) from a studio or a virtual team, never both."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        WON = "won", _("Awarded")
        LOST = "lost", _("Not awarded")
        ELIMINATED = "eliminated", _("Ended at mid-term review")

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="bids"
    )
    studio = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bids",
    )
    team = models.ForeignKey(
        "alliances.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bids",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    approach = models.TextField(_("approach"))
    plan = models.TextField(_("plan"), blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    timeline = models.TextField(_("timeline"), blank=True)
    team_composition = models.JSONField(_("team composition"), default=list, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    commitment_text = models.TextField(_("commitment letter (军令状)"))
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commitment signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commitment_signer_name = models.CharField(_("signer's name"), max_length=60)
    commitment_signed_at = models.DateTimeField(_("signed at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    feedback = models.TextField(_("feedback to the bidder"), blank=True)
    elimination_reason = models.TextField(_("reason for ending"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["challenge", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(studio__isnull=False, team__isnull=True)
                | models.Q(studio__isnull=True, team__isnull=False),
                name="bid_from_studio_or_team",
            ),
            models.UniqueConstraint(
                fields=["challenge", "studio"],
                condition=models.Q(studio__isnull=False) & ~models.Q(status="withdrawn"),
                name="bid_one_active_per_studio",
            ),
            models.UniqueConstraint(
                fields=["challenge", "team"],
                condition=models.Q(team__isnull=False) & ~models.Q(status="withdrawn"),
                name="bid_one_active_per_team",
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="bid_budget_not_negative"),
        ]

    def __str__(self) -> str:
        # Never the bidder's name: admin pages and logs must not reveal who bid.
        return f"#{self.pk}"

    @property
    def bidder(self):
        return self.studio if self.studio is not None else self.team

    @property
    def lead(self):
        """The user who speaks for the bidder: the studio's leader or the team's lead."""
        if self.studio is not None:
            return self.studio.leader
        assert self.team is not None, "a bid comes from a studio or a team (bid_from_studio_or_team)"
        return self.team.lead

    @property
    def bidder_lead_id(self) -> int:
        if self.studio is not None:
            return self.studio.leader_id
        assert self.team is not None, "a bid comes from a studio or a team (bid_from_studio_or_team)"
        return self.team.lead_id

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class BidMilestone(models.Model):
    """A step of the bid's plan; the winners' steps become tracked milestones."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="plan_steps")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    deliverable = models.TextField(_("deliverable"), blank=True)
    due_date = models.DateField(_("due date"))
    reward_share = models.DecimalField(
        _("reward due at this step"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("planned milestone")
        verbose_name_plural = _("planned milestones")
        ordering = ["bid", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "position"], name="bid_milestone_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ExpertAssignment(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    recused = models.BooleanField(_("recused"), default=False)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)
    conflict_declared = models.BooleanField(_("conflict declared by the expert"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["challenge", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "expert"], name="expert_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(recused=False) | ~models.Q(recusal_reason=""),
                name="expert_recusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.challenge}"


class Score(models.Model):
    """One expert's score of one bid on one criterion, at the bid review or the mid-term review."""

    class Stage(models.TextChoices):
        BID = "bid", _("Bid review")
        MIDTERM = "midterm", _("Mid-term review")

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="scores"
    )
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        ReviewCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.BID)
    value = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "bid", "criterion", "stage"], name="score_one_per_expert_bid_criterion"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0, value__lte=100), name="score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


class Clarification(models.Model):
    """A private question from the poster to one bidder during review, and its answer."""

    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="clarifications"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["bid", "asked_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Milestone(models.Model):
    """A milestone of a winning bid, tracked after the award; reward stages are recorded, not paid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUBMITTED = "submitted", _("Evidence submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Sent back")
        CANCELLED = "cancelled", _("Cancelled")

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="milestones"
    )
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    deliverable = models.TextField(_("deliverable"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    is_midterm = models.BooleanField(_("mid-term review here"), default=False)
    evidence_note = models.TextField(_("evidence"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comments = models.TextField(_("review comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reward_due = models.DecimalField(_("reward due"), max_digits=12, decimal_places=2, default=Decimal("0"))
    reward_released = models.DecimalField(
        _("reward released"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    reward_released_at = models.DateTimeField(_("reward released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["challenge", "bid", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "position"], name="milestone_position_unique"),
            models.CheckConstraint(
                condition=models.Q(reward_released__lte=models.F("reward_due"), reward_released__gte=0),
                name="milestone_release_within_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("report"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["challenge", "-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Question(models.Model):
    """Public clarification Q&A: any logged-in user asks, the poster answers for every bidder."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["challenge", "created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class ChallengeOutcome(models.Model):
    """Offered at final acceptance; the showcase reads it (challenges never imports showcase)."""

    challenge = models.OneToOneField(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="outcome"
    )
    summary = models.TextField(_("summary"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    taken_by_showcase_at = models.DateTimeField(_("published to the showcase at"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge outcome")
        verbose_name_plural = _("challenge outcomes")

    def __str__(self) -> str:
        return str(self.challenge)


class ReminderSent(models.Model):
    """One row per reminder sent: the unique constraint makes overlapping job runners send it once."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the reminder is about within the challenge ("milestone:12"), empty for the challenge.
    subject = models.CharField(_("subject"), max_length=40, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    due = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "kind", "subject", "recipient", "due"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file on a problem, a challenge, a bid or a milestone's evidence.

    Stored in private storage (no public URL); downloaded only through an access-checked view.
    """

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        problem__isnull=False,
                        challenge__isnull=True,
                        bid__isnull=True,
                        milestone__isnull=True,
                    )
                    | models.Q(
                        problem__isnull=True,
                        challenge__isnull=False,
                        bid__isnull=True,
                        milestone__isnull=True,
                    )
                    | models.Q(
                        problem__isnull=True,
                        challenge__isnull=True,
                        bid__isnull=False,
                        milestone__isnull=True,
                    )
                    | models.Q(
                        problem__isnull=True,
                        challenge__isnull=True,
                        bid__isnull=True,
                        milestone__isnull=False,
                    )
                ),
                name="attachment_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
