"""Reads that depend on who asks. Every bid read goes through `bids_for` (the sealed rule)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Team
from alliances.permissions import my_teams
from platform_core.accounts.models import ExpertProfile
from platform_core.accounts.selectors import PEOPLE_LIMIT, people_matching
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import my_studios

from . import permissions
from .lifecycle import effective_state_expression
from .models import (
    Bid,
    Challenge,
    Clarification,
    ExpertAssignment,
    Milestone,
    Problem,
    Question,
    Score,
)
from .search import CHALLENGES

BOARD_SORTS = {
    "deadline": ("bidding_deadline", "id"),
    "newest": ("-created_at", "-id"),
    "reward": ("-reward_amount", "-id"),
}


def _public_bid_count() -> Case:
    """The number of active bids, only for challenges that show it (None elsewhere)."""
    count = (
        Bid.objects.filter(challenge=OuterRef("pk"))
        .exclude(status=Bid.Status.WITHDRAWN)
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(show_bid_count=True, then=Subquery(count, output_field=IntegerField())),
        default=Value(None),
        output_field=IntegerField(),
    )


def board(
    user,
    *,
    state: str = "",
    field: str = "",
    unit_id: int | None = None,
    reward_min: Decimal | None = None,
    reward_max: Decimal | None = None,
    deadline_after=None,
    deadline_before=None,
    query: str = "",
    sort: str = "deadline",
) -> QuerySet[Challenge]:
    """The challenges `user` may see, filtered and sorted, one query per page (plus the count)."""
    challenges = (
        Challenge.objects.filter(permissions.visible_challenges_filter(user))
        .select_related("unit")
        .annotate(effective_state=effective_state_expression(), public_bid_count=_public_bid_count())
    )
    if state:
        challenges = challenges.filter(effective_state=state)
    if field:
        # No label holds "|" (the service refuses it), so such a filter matches nothing.
        challenges = (
            challenges.none() if "|" in field else challenges.filter(fields_key__contains=f"|{field}|")
        )
    if unit_id:
        challenges = challenges.filter(unit_id=unit_id)
    if reward_min is not None:
        challenges = challenges.filter(reward_amount__gte=reward_min)
    if reward_max is not None:
        challenges = challenges.filter(reward_amount__lte=reward_max)
    if deadline_after is not None:
        challenges = challenges.filter(bidding_deadline__gte=deadline_after)
    if deadline_before is not None:
        challenges = challenges.filter(bidding_deadline__lte=deadline_before)
    if query:
        challenges = CHALLENGES.matching(challenges, query)
    return challenges.order_by(*BOARD_SORTS.get(sort, BOARD_SORTS["deadline"]))


def with_effective_state(queryset: QuerySet[Challenge]) -> QuerySet[Challenge]:
    return queryset.annotate(effective_state=effective_state_expression())


def state_of(challenge: Challenge) -> str:
    """The effective state a selector annotated on `challenge` (the deadline rule applied)."""
    return challenge.effective_state  # type: ignore[attr-defined]


def effective_state_by_pk(pk: int) -> str:
    return state_of(with_effective_state(Challenge.objects.filter(pk=pk)).get())


def challenge_for(user, pk: int) -> Challenge:
    """The challenge if `user` may see it; otherwise Challenge.DoesNotExist (existence not revealed)."""
    challenge = with_effective_state(
        Challenge.objects.select_related("unit__parent__parent", "poster").annotate(
            public_bid_count=_public_bid_count()
        )
    ).get(pk=pk)
    if not permissions.can_see_challenge(user, challenge):
        raise Challenge.DoesNotExist
    access = permissions.ChallengeAccess(user, challenge, state_of(challenge))
    # What this viewer may not read is blanked here, once, for the page and the API alike (the
    # services re-read the row under lock, so a blanked field is never written back).
    if challenge.award_rationale and not access.sees_award_rationale:
        challenge.award_rationale = ""
    if challenge.return_comments and not access.sees_return_comments:
        challenge.return_comments = ""
    challenge.access = access  # type: ignore[attr-defined]
    return challenge


def access_of(challenge: Challenge) -> permissions.ChallengeAccess:
    """The viewer's flags `challenge_for` attached to `challenge`."""
    return challenge.access  # type: ignore[attr-defined]


def bid_count_for(user, challenge: Challenge) -> int | None:
    """The number of active bids if `user` may know it (shown publicly, the poster side, experts)."""
    if not permissions.can_see_bid_count(user, challenge, state_of(challenge)):
        return None
    return challenge.bids.exclude(status=Bid.Status.WITHDRAWN).count()


@dataclass
class BidOption:
    """A studio or team the user leads, and why it may not bid ("" when it may)."""

    studio: Studio | None
    team: Team | None
    problem: str


def bid_options(user, challenge: Challenge) -> list[BidOption]:
    """What the bid form offers, with eligibility shown before the form (checked again on submit)."""
    if not user.is_authenticated:
        return []
    studios = Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE).select_related("unit")
    teams = Team.objects.filter(lead=user).exclude(status=Team.Status.ARCHIVED).select_related("lead")
    options = [
        BidOption(studio, None, permissions.bid_as_problem(user, challenge, studio=studio, team=None))
        for studio in studios
    ]
    options += [
        BidOption(None, team, permissions.bid_as_problem(user, challenge, studio=None, team=team))
        for team in teams
    ]
    return options


def _own_bids_filter(user) -> Q:
    return Q(studio__in=my_studios(user)) | Q(team__in=my_teams(user))


def bids_for(user, challenge: Challenge, *, state: str) -> QuerySet[Bid]:
    """The bids of `challenge` that `user` may see: its own, or every active bid once bidding has
    closed for the poster side and the assigned, non-recused experts."""
    bids = Bid.objects.filter(challenge=challenge).select_related(
        "studio__unit", "team__lead", "submitted_by"
    )
    if not user.is_authenticated:
        return bids.none()
    visible = _own_bids_filter(user)
    if permissions.bids_open_for(user, challenge, state):
        visible |= ~Q(status=Bid.Status.WITHDRAWN)
    return bids.filter(visible).prefetch_related("plan_steps").order_by("submitted_at", "id")


def bid_for(user, pk: int) -> tuple[Bid, str]:
    """(bid, effective state of its challenge) if `user` may see it; otherwise Bid.DoesNotExist."""
    bid = Bid.objects.select_related("challenge__unit__parent__parent", "studio", "team").get(pk=pk)
    state = effective_state_by_pk(bid.challenge_id)
    if not permissions.can_see_bid(user, bid, state=state):
        raise Bid.DoesNotExist
    return bid, state


@dataclass
class BidRanking:
    bid: Bid
    criterion_means: dict[int, Decimal | None]
    total: Decimal | None
    rank: int | None


@dataclass
class ExpertProgress:
    assignment: ExpertAssignment
    scored: int
    expected: int

    @property
    def status(self) -> str:
        if self.scored == 0:
            return "not_started"
        return "done" if self.scored >= self.expected else "partial"


def review_workspace(user, challenge: Challenge, *, state: str, stage: str = Score.Stage.BID) -> dict:
    """What the review page shows. The poster side gets totals, ranking and each expert's progress;
    an expert gets the bids and only their own scores (experts score independently)."""
    if not permissions.bids_open_for(user, challenge, state):
        raise Challenge.DoesNotExist
    criteria = list(challenge.criteria.all())
    status = Bid.Status.SUBMITTED if stage == Score.Stage.BID else Bid.Status.WON
    if stage == Score.Stage.BID and state not in ("bidding_closed", "under_review"):
        # After the award the bid review is history: show every bid that was in it.
        bids = list(
            challenge.bids.exclude(status=Bid.Status.WITHDRAWN)
            .select_related("studio", "team")
            .order_by("pk")
        )
    else:
        bids = list(challenge.bids.filter(status=status).select_related("studio", "team").order_by("pk"))
    assignments = list(challenge.expert_assignments.select_related("expert").order_by("assigned_at"))
    counted = [a.expert_id for a in assignments if not a.recused]
    scores = list(
        Score.objects.filter(bid__in=bids, stage=stage, expert_id__in=counted).values_list(
            "bid_id", "criterion_id", "expert_id", "value"
        )
    )
    poster_side = permissions.is_poster_side(user, challenge)
    result: dict = {"criteria": criteria, "bids": bids, "stage": stage, "poster_side": poster_side}
    if poster_side:
        result["ranking"] = _rank(bids, criteria, scores)
        expected = len(bids) * len(criteria)
        per_expert: dict[int, int] = {}
        for _bid, _criterion, expert_id, _value in scores:
            per_expert[expert_id] = per_expert.get(expert_id, 0) + 1
        result["progress"] = [
            ExpertProgress(assignment=a, scored=per_expert.get(a.expert_id, 0), expected=expected)
            for a in assignments
        ]
    result["my_scores"] = list(
        Score.objects.filter(bid__in=bids, stage=stage, expert=user).select_related("criterion")
    )
    return result


def review_page(user, challenge: Challenge, *, stage: str) -> dict:
    """The review workspace as the page shows it: each bid with its files and its clarifying
    questions (permissions.can_see_clarifications: whom the bids are open to)."""
    workspace = review_workspace(user, challenge, state=state_of(challenge), stage=stage)
    prefetch_related_objects(workspace["bids"], "attachments", "clarifications")
    return workspace


def criteria_of(challenge: Challenge) -> QuerySet:
    return challenge.criteria.all()


def bids_among(challenge: Challenge, ids) -> list[Bid]:
    """The bids of `challenge` among `ids`; the service then decides whether they may win."""
    return list(Bid.objects.filter(pk__in=list(ids), challenge=challenge))


def _rank(bids: list[Bid], criteria, scores) -> list[BidRanking]:
    values: dict[tuple[int, int], list[Decimal]] = {}
    for bid_id, criterion_id, _expert, value in scores:
        values.setdefault((bid_id, criterion_id), []).append(Decimal(value))
    rows: list[BidRanking] = []
    for bid in bids:
        means: dict[int, Decimal | None] = {}
        for criterion in criteria:
            marks = values.get((bid.pk, criterion.pk))
            means[criterion.pk] = (
                (sum(marks, Decimal(0)) / len(marks)).quantize(Decimal("0.01")) if marks else None
            )
        complete = criteria and all(mean is not None for mean in means.values())
        total = (
            (sum(means[c.pk] * c.weight for c in criteria) / 100).quantize(Decimal("0.01"))  # type: ignore[operator]
            if complete
            else None
        )
        rows.append(BidRanking(bid=bid, criterion_means=means, total=total, rank=None))
    ranked = sorted((row for row in rows if row.total is not None), key=lambda row: -row.total)  # type: ignore[operator]
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked + [row for row in rows if row.total is None]


def milestones_queryset(challenge: Challenge) -> QuerySet[Milestone]:
    """The challenge's milestones, each flagged `is_overdue` (due, not handed in, team still racing)."""
    today = timezone.localdate()
    return (
        Milestone.objects.filter(challenge=challenge)
        .select_related("bid__studio", "bid__team")
        .annotate(
            is_overdue=Case(
                When(
                    Q(due_date__lt=today)
                    & Q(status__in=[Milestone.Status.PENDING, Milestone.Status.RETURNED])
                    & Q(bid__status=Bid.Status.WON),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("bid_id", "position")
    )


# What only the team doing the work and those who oversee it read (serializers.MilestoneDetailOutput).
_EVIDENCE_TEXTS = ("deliverable", "evidence_note", "review_comments")


def _restrict(milestone: Milestone, evidence_visible: bool) -> Milestone:
    """Blank what the viewer may not read, once, for the page and the API (the services re-read
    the row under lock, so a blanked field is never written back)."""
    milestone.evidence_visible = evidence_visible  # type: ignore[attr-defined]
    if not evidence_visible:
        for name in _EVIDENCE_TEXTS:
            setattr(milestone, name, "")
    return milestone


def milestones_for(user, challenge: Challenge) -> list[tuple[Milestone, bool]]:
    """Every milestone, with whether `user` may read its evidence (permissions.can_see_milestone_evidence,
    decided once for the list rather than per row); what they may not read comes blanked."""
    oversees = permissions.oversees_work(user, challenge)
    own: set[int] = set()
    if user.is_authenticated and not oversees:
        own = set(challenge.bids.filter(_own_bids_filter(user)).values_list("pk", flat=True))
    rows = []
    for milestone in milestones_queryset(challenge):
        full = oversees or milestone.bid_id in own
        rows.append((_restrict(milestone, full), full))
    return rows


def work_bids_for(user, challenge: Challenge, *, state: str) -> list[Bid]:
    """The bids in the work or ended at the mid-term that `user` may see (permissions.can_see_bid),
    with their progress reports, for the milestones page."""
    bids = (
        challenge.bids.filter(status__in=(Bid.Status.WON, Bid.Status.ELIMINATED))
        .select_related("studio__leader", "team__lead", "challenge")
        .prefetch_related("progress_reports")
        .order_by("pk")
    )
    return [bid for bid in bids if permissions.can_see_bid(user, bid, state=state)]


def milestone_for(user, pk: int) -> Milestone:
    """The milestone if `user` may see its challenge, flagged `evidence_visible` and with what they
    may not read blanked; otherwise Milestone.DoesNotExist. The page and the API fetch here."""
    milestone = Milestone.objects.select_related("challenge", "bid__studio", "bid__team").get(pk=pk)
    if not permissions.can_see_challenge(user, milestone.challenge):
        raise Milestone.DoesNotExist
    return _restrict(milestone, permissions.can_see_milestone_evidence(user, milestone))


def questions_for(challenge: Challenge) -> QuerySet[Question]:
    return challenge.questions.order_by("created_at", "id")


def question_for(user, pk: int) -> Question:
    """A public question with its answer, if `user` may see its challenge (everyone who sees the
    challenge reads its Q&A); otherwise Question.DoesNotExist. The page and the API fetch here."""
    question = Question.objects.select_related("challenge").get(pk=pk)
    if not permissions.can_see_challenge(user, question.challenge):
        raise Question.DoesNotExist
    return question


def clarifications_for(user, bid_pk: int) -> QuerySet[Clarification]:
    """A bid's clarifying questions and answers if `user` may see them
    (permissions.can_see_clarifications); otherwise Bid.DoesNotExist."""
    bid, state = bid_for(user, bid_pk)
    if not permissions.can_see_clarifications(user, bid, state=state):
        raise Bid.DoesNotExist
    return bid.clarifications.order_by("asked_at", "id")


def clarification_for(user, pk: int) -> Clarification:
    """One clarification if `user` may see it (as `clarifications_for`); otherwise
    Clarification.DoesNotExist, a hidden one answering like a missing one."""
    clarification = Clarification.objects.select_related("bid").get(pk=pk)
    try:
        visible = clarifications_for(user, clarification.bid_id).filter(pk=pk).exists()
    except Bid.DoesNotExist:
        visible = False
    if not visible:
        raise Clarification.DoesNotExist
    return clarification


def problems_visible_to(user) -> QuerySet[Problem]:
    problems = Problem.objects.select_related("unit", "submitter").order_by("-created_at", "-id")
    if not user.is_authenticated:
        return problems.none()
    return problems.filter(permissions.problems_visible_filter(user))


def with_triage_flags(user, problems) -> list[Problem]:
    """`problems` (one page of them), each flagged `may_triage` for the page to offer triage."""
    rows = list(problems)
    for problem in rows:
        problem.may_triage = permissions.can_triage_problem(user, problem)  # type: ignore[attr-defined]
    return rows


def problem_for(user, pk: int) -> Problem:
    """The problem if `user` may see it, flagged `may_triage`; otherwise Problem.DoesNotExist
    (a hidden problem and a missing one answer alike). The page and the API both fetch here."""
    problem = problems_visible_to(user).get(pk=pk)
    problem.may_triage = permissions.can_triage_problem(user, problem)  # type: ignore[attr-defined]
    return problem


def export_rows(user, challenge: Challenge, *, state: str) -> dict[str, list[list]]:
    """The bids and scores sheets of the Excel export: the poster side, once bidding has closed."""
    if not permissions.can_manage_review(user, challenge) or not permissions.bids_open_for(
        user, challenge, state
    ):
        raise Challenge.DoesNotExist
    workspace = review_workspace(user, challenge, state=state)
    criteria = workspace["criteria"]
    bids_sheet: list[list] = [
        [
            "#",
            _("Bidder"),
            _("Status"),
            _("Shortlisted"),
            _("Budget"),
            _("Timeline"),
            *[c.name for c in criteria],
            _("Weighted total"),
            _("Rank"),
        ]
    ]
    for row in workspace["ranking"]:
        bid = row.bid
        bids_sheet.append(
            [
                bid.pk,
                str(bid.bidder),
                bid.get_status_display(),
                bid.shortlisted,
                bid.budget,
                bid.timeline,
                *[row.criterion_means[c.pk] for c in criteria],
                row.total,
                row.rank,
            ]
        )
    scores_sheet: list[list] = [
        ["#", _("Bidder"), _("Expert"), _("Criterion"), _("Weight"), _("Score"), _("Comment")]
    ]
    for score in (
        Score.objects.filter(bid__in=workspace["bids"], stage=Score.Stage.BID)
        .select_related("bid__studio", "bid__team", "expert", "criterion")
        .order_by("bid_id", "expert_id", "criterion__position")
    ):
        scores_sheet.append(
            [
                score.bid_id,
                str(score.bid.bidder),
                str(score.expert),
                score.criterion.name,
                score.criterion.weight,
                score.value,
                score.comment,
            ]
        )
    return {"bids": bids_sheet, "scores": scores_sheet}


def my_bids(user, *, challenge: Challenge | None = None) -> QuerySet[Bid]:
    """The bids of the studios and teams `user` belongs to (their own bids, never sealed to them),
    each with its challenge's effective state as `challenge_state`."""
    if not user.is_authenticated:
        return Bid.objects.none()
    bids = (
        Bid.objects.filter(_own_bids_filter(user))
        .select_related("challenge", "studio", "team")
        .annotate(challenge_state=effective_state_expression("challenge__"))
    )
    if challenge is not None:
        bids = bids.filter(challenge=challenge)
    return bids.order_by("-submitted_at", "-id")


EXPERT_CANDIDATES = 50  # experts looked at per suggestion request (the conflict check is per expert)


def expert_suggestions(
    user, challenge: Challenge, *, query: str = "", committee: str = ""
) -> list[ExpertProfile]:
    """Experts the poster side may assign to `challenge`: active committee members not assigned
    yet, matching `query` (name, username or unit) and `committee` when given, those whose fields
    meet the challenge's first; at most PEOPLE_LIMIT.

    Experts in conflict with a bidder (permissions.conflict_reasons) are left out once the bids
    are open to the viewer. While bids are sealed they are not: leaving someone out would tell
    the poster which units bid; the recusal at the close of bidding handles them then."""
    if not permissions.can_assign_experts(user, challenge):
        raise PermissionDenied(_("Only the poster or a union admin over the unit may assign experts."))
    profiles = (
        ExpertProfile.objects.filter(active=True, user__is_active=True)
        .exclude(user__in=challenge.expert_assignments.values("expert"))
        .select_related("user__unit")
        .order_by("user__display_name", "user__username")
    )
    if query.strip():
        profiles = profiles.filter(user__in=people_matching(user, query).values("pk"))
    if committee:
        profiles = profiles.filter(committee=committee)
    wanted = set(challenge.fields or [])
    candidates = sorted(profiles[:EXPERT_CANDIDATES], key=lambda p: not wanted.intersection(p.fields or []))
    if permissions.bids_open_for(user, challenge, state_of(challenge)):
        bids = list(
            challenge.bids.exclude(status=Bid.Status.WITHDRAWN).select_related("studio", "team__lead")
        )
        candidates = [p for p in candidates if not permissions.conflict_reasons(p.user, bids)]
    return candidates[:PEOPLE_LIMIT]
