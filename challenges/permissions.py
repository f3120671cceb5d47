"""Who may see and do what with challenges and bids. The one place these rules live.

Sealed bids: a bidder (the members of the bidding studio or team) sees only its own bids. The
poster side (the poster, those who may post for the unit, the union admins over it) and the
assigned, non-recused experts see every bid once bidding has closed; before that the poster side
sees only how many bids there are. Everything that lists, counts, exports, notifies or pushes bids
asks here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Team
from alliances.owners import owner_party
from alliances.permissions import is_team_member, my_teams
from platform_core.accounts.models import PosterGrant
from platform_core.conflicts import conflict_reasons as core_conflict_reasons
from platform_core.orgs.models import Studio, Unit
from platform_core.orgs.permissions import (
    admin_covers_unit,
    admin_scope_filter,
    is_studio_member,
    my_studios,
    unit_subtree,
)
from platform_core.request_memo import memoized

from .lifecycle import (
    ACTION_LABELS,
    PUBLIC_STATES,
    SEALED_STATES,
    Action,
    Role,
    State,
    actions_from,
    transition_for,
)
from .models import Bid, Challenge, ExpertAssignment, Milestone, Problem


def posts_for_unit(user, unit_id: int) -> bool:
    """`user` holds a poster grant for the unit (asked once per read-only request)."""
    return memoized(
        ("poster_grant", user.pk, unit_id), lambda: user.poster_grants.filter(unit_id=unit_id).exists()
    )


def is_poster(user, challenge: Challenge) -> bool:
    if not user.is_authenticated:
        return False
    return challenge.poster_id == user.pk or posts_for_unit(user, challenge.unit_id)


def may_post_for(user, unit) -> bool:
    return user.is_authenticated and (
        user.is_superuser or posts_for_unit(user, unit.pk) or admin_covers_unit(user, unit)
    )


def is_admin(user, challenge: Challenge) -> bool:
    return admin_covers_unit(user, challenge.unit)


def is_poster_side(user, challenge: Challenge) -> bool:
    return is_poster(user, challenge) or is_admin(user, challenge)


def leads_bidder(user, bid: Bid) -> bool:
    return user.is_authenticated and bid.bidder_lead_id == user.pk


def bidder_is_active(bid: Bid) -> bool:
    """A delisted studio (摘牌) or an archived team no longer acts on its bids: no edit, no
    withdrawal, no award, no work on milestones. Its history stays readable."""
    if bid.studio is not None:
        return bid.studio.is_active
    return bid.team is not None and bid.team.is_open


def acts_for_bidder(user, bid: Bid) -> bool:
    """`user` may write on the bidder's behalf: its lead, while the bidder is active."""
    return leads_bidder(user, bid) and bidder_is_active(bid)


def evidence_refusal(user, milestone, *, state: str) -> tuple[type[Exception], str] | None:
    """Why `user` may not hand in evidence (a note or files) for `milestone` now, or None.

    Evidence goes to a milestone of a bid still in the work (won, not ended at the mid-term, its
    studio not delisted nor its team archived), while the challenge is in progress and that
    milestone waits for it, from the bidder's lead. `state` is the challenge's effective state."""
    if not acts_for_bidder(user, milestone.bid):
        return PermissionDenied, _("Only the lead of the team doing the work may submit its milestones.")
    if state != State.IN_PROGRESS or milestone.bid.status != Bid.Status.WON:
        return ValidationError, _("Milestones are submitted while the work is in progress.")
    if milestone.status not in (Milestone.Status.PENDING, Milestone.Status.RETURNED):
        return ValidationError, _("This milestone is not waiting for evidence.")
    return None


def may_hand_in_evidence(user, milestone, *, state: str) -> bool:
    """The evidence form is offered, and evidence or its files accepted, exactly when this holds."""
    return evidence_refusal(user, milestone, state=state) is None


def milestone_review_refusal(
    user, milestone, *, challenge: Challenge, state: str, poster: bool | None = None
) -> tuple[type[Exception], str] | None:
    """Why `user` may not accept or send back `milestone`'s evidence now, or None: the poster
    reviews a milestone that waits for review while the work is in progress. `poster` is
    `is_poster(user, challenge)` when the caller already knows it (a page asks once per challenge)."""
    if not (is_poster(user, challenge) if poster is None else poster):
        return PermissionDenied, _("Only the poster reviews milestones.")
    if state != State.IN_PROGRESS or milestone.status != Milestone.Status.SUBMITTED:
        return ValidationError, _("This milestone is not waiting for review.")
    return None


def may_review_milestone(
    user, milestone, *, challenge: Challenge, state: str, poster: bool | None = None
) -> bool:
    """The milestone's review form is offered exactly when this holds."""
    return milestone_review_refusal(user, milestone, challenge=challenge, state=state, poster=poster) is None


def reward_release_refusal(
    user, milestone, *, challenge: Challenge, poster: bool | None = None
) -> tuple[type[Exception], str] | None:
    """Why `user` may not record a release of `milestone`'s reward stage, or None: the poster
    records releases of an accepted milestone's stage until all of it is released."""
    if not (is_poster(user, challenge) if poster is None else poster):
        return PermissionDenied, _("Only the poster records reward releases.")
    if milestone.status != Milestone.Status.ACCEPTED:
        return ValidationError, _("A reward stage is released after its milestone is accepted.")
    if milestone.reward_released >= milestone.reward_due:
        return ValidationError, _("This reward stage has been released in full.")
    return None


def may_release_reward(user, milestone, *, challenge: Challenge, poster: bool | None = None) -> bool:
    """The release form is offered exactly when this holds."""
    return reward_release_refusal(user, milestone, challenge=challenge, poster=poster) is None


@dataclass(frozen=True)
class MilestoneFlags:
    """What one viewer may do with one milestone on the milestones page."""

    sees_evidence: bool
    may_hand_in: bool
    may_review: bool
    may_release: bool


def milestone_flags(
    user, milestone, *, challenge: Challenge, state: str, sees_evidence: bool, poster: bool
) -> MilestoneFlags:
    """The page's flags for one milestone, from the refusals the services raise. `sees_evidence`
    is `can_see_milestone_evidence` as the selector decided it; `poster` is `is_poster`, asked
    once for the page."""
    return MilestoneFlags(
        sees_evidence=sees_evidence,
        may_hand_in=may_hand_in_evidence(user, milestone, state=state),
        may_review=may_review_milestone(user, milestone, challenge=challenge, state=state, poster=poster),
        may_release=may_release_reward(user, milestone, challenge=challenge, poster=poster),
    )


def progress_report_refusal(user, bid: Bid, *, state: str) -> tuple[type[Exception], str] | None:
    """Why `user` may not write a progress report on `bid` now, or None.

    Progress is reported by the lead of a bid in the work (won, bidder still active) while the
    challenge is in progress, as the lead hands in the evidence; the bidder's members, the poster
    side and the experts read the reports (`can_see_bid`)."""
    if not acts_for_bidder(user, bid):
        return PermissionDenied, _("Only the lead of the team doing the work reports its progress.")
    if state != State.IN_PROGRESS or bid.status != Bid.Status.WON:
        return ValidationError, _("Progress is reported while the work is in progress.")
    return None


def may_report_progress(user, bid: Bid, *, state: str) -> bool:
    return progress_report_refusal(user, bid, state=state) is None


def belongs_to_bidder(user, bid: Bid) -> bool:
    if bid.studio is not None:
        return is_studio_member(user, bid.studio)
    return bid.team is not None and is_team_member(user, bid.team)


def winning_bids(challenge: Challenge):
    return challenge.bids.filter(status=Bid.Status.WON).select_related("studio", "team")


def roles_of(user, challenge: Challenge) -> set[Role]:
    """The lifecycle roles `user` holds on `challenge` (see lifecycle.TRANSITIONS)."""
    roles: set[Role] = set()
    if not user.is_authenticated:
        return roles
    if is_poster(user, challenge):
        roles.add(Role.POSTER)
    if is_admin(user, challenge):
        roles.add(Role.ADMIN)
    if any(acts_for_bidder(user, bid) for bid in winning_bids(challenge)):
        roles.add(Role.WINNER)
    return roles


ROLE_LABELS = {
    Role.POSTER: gettext_lazy("the poster"),
    Role.ADMIN: gettext_lazy("a union admin over the posting unit"),
    Role.WINNER: gettext_lazy("the lead of a winning bid"),
    Role.SYSTEM: gettext_lazy("the platform at the deadline"),
}


def transition_refusal(
    actor, challenge: Challenge, state: str, action: Action, *, roles: set[Role] | None = None
) -> tuple[type[Exception], str] | None:
    """Why `actor` may not take `action` now (exception class and message), or None when allowed."""
    transition = transition_for(state, action)
    label = str(ACTION_LABELS[action])
    if transition is None:
        return ValidationError, _("“%(action)s” is not possible while the challenge is %(state)s.") % {
            "action": label,
            "state": Challenge.State(state).label,
        }
    if roles is None:
        roles = roles_of(actor, challenge) if actor is not None else {Role.SYSTEM}
    if not roles & transition.roles:
        who = _(" or ").join(str(ROLE_LABELS[role]) for role in sorted(transition.roles))
        return PermissionDenied, _("Only %(who)s may do this: %(action)s.") % {"who": who, "action": label}
    return None


def allowed_actions(user, challenge: Challenge, state: str) -> list[Action]:
    """The lifecycle actions `user` may take now (for pages and the API to offer)."""
    roles = roles_of(user, challenge)
    return [
        action
        for action in actions_from(state)
        if transition_refusal(user, challenge, state, action, roles=roles) is None
    ]


def expert_assignment(user, challenge: Challenge) -> ExpertAssignment | None:
    """`user`'s assignment to `challenge`, recused or not (at most one: expert_assignment_unique),
    read once per read-only request whichever rule asks."""
    if not user.is_authenticated:
        return None
    return memoized(
        ("expert_assignment", user.pk, challenge.pk),
        lambda: ExpertAssignment.objects.filter(challenge=challenge, expert=user).first(),
    )


def active_assignment(user, challenge: Challenge) -> ExpertAssignment | None:
    assignment = expert_assignment(user, challenge)
    return assignment if assignment is not None and not assignment.recused else None


def visible_challenges_filter(user) -> Q:
    """The challenges `user` may see, as one filter (lists cost one query, whatever the data).
    The one statement of the rule: `can_see_challenge` asks it about one challenge."""
    public = Q(state__in=PUBLIC_STATES) & ~Q(eligibility=Challenge.Eligibility.INVITATION)
    once_published = Q(state=State.WITHDRAWN, published_at__isnull=False)
    # Withdrawn challenges that were once public stay visible to whom could see them then,
    # visitors included.
    once_public = once_published & ~Q(eligibility=Challenge.Eligibility.INVITATION)
    if not user.is_authenticated:
        return public | once_public
    if user.is_superuser:
        return Q()
    # Subqueries, not joins: no duplicate rows, no DISTINCT, one query for the whole list.
    invited_to = Challenge.invited_studios.through.objects.filter(studio__in=my_studios(user)).values(
        "challenge_id"
    )
    invited_to_team = Challenge.invited_teams.through.objects.filter(team__in=my_teams(user)).values(
        "challenge_id"
    )
    # Invitees keep seeing a withdrawn invitation like everyone else keeps a withdrawn public one.
    invited = (Q(state__in=PUBLIC_STATES) | once_published) & (
        Q(pk__in=invited_to) | Q(pk__in=invited_to_team)
    )
    own_side = (
        Q(poster=user)
        | Q(unit__in=PosterGrant.objects.filter(user=user).values("unit"))
        | admin_scope_filter(user, "unit")
    )
    expert = Q(pk__in=ExpertAssignment.objects.filter(expert=user).values("challenge"))
    return public | invited | own_side | expert | once_public


def can_see_challenge(user, challenge: Challenge) -> bool:
    """`visible_challenges_filter` asked about one challenge (one query)."""
    return Challenge.objects.filter(visible_challenges_filter(user), pk=challenge.pk).exists()


def _within_units(unit_id: int | None, unit_ids: set[int]) -> bool:
    """`unit_id` is one of `unit_ids` or lies below one of them: listing a group admits its
    enterprises and their branches, at any depth."""
    if unit_id is None:
        return False
    if unit_id in unit_ids:
        return True
    return any(Unit.objects.filter(pk__in=unit_subtree(root), pk=unit_id).exists() for root in unit_ids)


def eligibility_problem(
    challenge: Challenge, *, studio: Studio | None = None, team: Team | None = None
) -> str:
    """Why this studio or team may not bid, or "" when it may. Shown before the form, checked on submit."""
    if challenge.eligibility == Challenge.Eligibility.INVITATION:
        invited = (
            challenge.invited_studios.filter(pk=studio.pk).exists()
            if studio
            else challenge.invited_teams.filter(pk=team.pk).exists()
            if team
            else False
        )
        return "" if invited else _("This challenge is by invitation only, and you were not invited.")
    if challenge.eligibility == Challenge.Eligibility.OPEN:
        return ""
    unit_ids = set(challenge.eligible_units.values_list("pk", flat=True))
    if studio is not None:
        if unit_ids and not _within_units(studio.unit_id, unit_ids):
            return _("Only studios of the units listed may bid.")
        if challenge.eligible_studio_types and studio.type not in challenge.eligible_studio_types:
            return _("Only studios of the types listed may bid.")
        if challenge.eligible_levels and studio.level not in challenge.eligible_levels:
            return _("Only studios of the levels listed may bid.")
        return ""
    if team is not None:
        # A team has no type or level; it qualifies only through its lead's unit.
        if challenge.eligible_studio_types or challenge.eligible_levels:
            return _("Only studios of the types or levels listed may bid; teams may not.")
        if unit_ids and not _within_units(team.lead.unit_id, unit_ids):
            return _("Only teams led from the units listed may bid.")
        return ""
    return _("Choose a studio or a team to bid for.")


def bid_as_problem(user, challenge: Challenge, *, studio: Studio | None, team: Team | None) -> str:
    """Why `user` may not bid for this studio or team (the state is checked by the service)."""
    if (studio is None) == (team is None):
        return _("A bid comes from one studio or one team.")
    if studio is not None:
        if studio.leader_id != user.pk:
            return _("Only the studio's leader may bid for it.")
        if not studio.is_active:
            return _("A delisted studio may not bid.")
    if team is not None:
        if team.lead_id != user.pk:
            return _("Only the team's lead may bid for it.")
        if not team.is_open:
            return _("An archived team may not bid.")
    if is_poster_side(user, challenge):
        return _("The poster's side may not bid on its own challenge.")
    return eligibility_problem(challenge, studio=studio, team=team)


def bidding_has_closed(challenge: Challenge, state: str) -> bool:
    """Whether bidding reached its deadline (or the job closed it) rather than ending before it.

    A challenge withdrawn while bidding was open never closed: its bids stay sealed for good.
    `state_changed_at` of a withdrawn challenge is the database clock at the withdrawal (final
    state), so it is before the deadline exactly when the withdrawal happened while bids were open.
    """
    if state in SEALED_STATES:
        return False
    if state == State.WITHDRAWN:
        return challenge.state_changed_at >= challenge.bidding_deadline
    return True


def bidding_refusal(challenge: Challenge, state: str) -> str:
    """Why no bid may be submitted, edited or withdrawn now, or "" while bidding is open. `state`
    is the effective state (the database clock against the deadline). The bid services refuse
    with it, and the bid pages refuse to serve their form with it (GET and POST alike)."""
    if state == State.PUBLISHED:
        return ""
    if bidding_has_closed(challenge, state):
        # A person reads the deadline in the platform's time zone, whatever the server's clock.
        return _("Bidding closed at %(deadline)s; the bid was not accepted.") % {
            "deadline": formats.date_format(timezone.localtime(challenge.bidding_deadline), "DATETIME_FORMAT")
        }
    return _("This challenge is not open for bids.")


def bid_change_refusal(user, bid: Bid, *, state: str) -> tuple[type[Exception], str] | None:
    """Why `user` may not edit or withdraw `bid` now, or None: its lead, while the bidder is
    active, the bid submitted and bidding open (`state`: the challenge's effective state)."""
    if not leads_bidder(user, bid):
        return PermissionDenied, _("Only the lead of the bidding studio or team may change this bid.")
    if not bidder_is_active(bid):
        return PermissionDenied, _("A delisted studio or an archived team may not change its bid.")
    if bid.status != Bid.Status.SUBMITTED:
        return ValidationError, _("This bid can no longer be changed.")
    refusal = bidding_refusal(bid.challenge, state)
    return (ValidationError, refusal) if refusal else None


def may_change_bid(user, bid: Bid, *, state: str) -> bool:
    """Whether the pages offer "Edit" and "Withdraw" on `bid` (the services ask the same rule)."""
    return bid_change_refusal(user, bid, state=state) is None


def bids_open_for(user, challenge: Challenge, state: str) -> bool:
    """Whether the poster side or an assigned expert may open every bid.

    The poster side: once bidding has closed. Experts: once the review has started, because the
    automatic recusal runs on the way out of `bidding_closed` (start_review, withdraw, fail); between
    the deadline and that moment an expert who conflicts with a bidder is not recused yet.
    """
    if not bidding_has_closed(challenge, state):
        return False
    if is_poster_side(user, challenge):
        return True
    return state != State.BIDDING_CLOSED and active_assignment(user, challenge) is not None


def can_see_bid(user, bid: Bid, *, state: str) -> bool:
    """`state` is the challenge's effective state (the deadline rule applied)."""
    if not user.is_authenticated:
        return False
    if belongs_to_bidder(user, bid):
        return True
    return bid.is_active and bids_open_for(user, bid.challenge, state)


def can_see_bid_count(user, challenge: Challenge, state: str) -> bool:
    return (
        challenge.show_bid_count or is_poster_side(user, challenge) or bids_open_for(user, challenge, state)
    )


def can_assign_experts(user, challenge: Challenge) -> bool:
    return is_poster_side(user, challenge)


def can_review(user, challenge: Challenge, state: str) -> bool:
    """Scoring is open to the assigned, non-recused experts while the review runs (and the mid-term)."""
    return state in {State.UNDER_REVIEW, State.IN_PROGRESS} and active_assignment(user, challenge) is not None


def can_award(user, challenge: Challenge) -> bool:
    return is_poster(user, challenge)


def midterm_point_refusal(user, challenge: Challenge, state: str) -> tuple[type[Exception], str] | None:
    """Why `user` may not set (or move) the race's mid-term review point now, or None: the poster,
    once the race is awarded and until its mid-term review is held."""
    if not can_award(user, challenge):
        return PermissionDenied, _("Only the poster may set the mid-term review.")
    if challenge.award_mode != Challenge.AwardMode.RACING or state not in (State.AWARDED, State.IN_PROGRESS):
        return ValidationError, _("A mid-term review is set in an awarded race.")
    if challenge.midterm_reviewed_at is not None:
        return ValidationError, _("The mid-term review of this race has been held.")
    return None


def may_set_midterm_point(user, challenge: Challenge, state: str) -> bool:
    """The mid-term point form is offered exactly when this holds."""
    return midterm_point_refusal(user, challenge, state) is None


def midterm_review_refusal(user, challenge: Challenge, state: str) -> tuple[type[Exception], str] | None:
    """Why `user` may not hold the race's mid-term review now, or None. Asked before any bid id
    the request names is looked at, so a refusal reveals nothing about the bids."""
    if not can_award(user, challenge):
        return PermissionDenied, _("Only the poster may hold the mid-term review.")
    if challenge.award_mode != Challenge.AwardMode.RACING or state != State.IN_PROGRESS:
        return ValidationError, _("A mid-term review is held in a race that is in progress.")
    if challenge.midterm_reviewed_at is not None:
        return ValidationError, _("The mid-term review of this race has been held.")
    return None


def may_hold_midterm_review(user, challenge: Challenge, state: str) -> bool:
    """The mid-term review form is offered exactly when this holds."""
    return midterm_review_refusal(user, challenge, state) is None


def midterm_needs_evidence(bid: Bid, *, ended: bool) -> bool:
    """Whether the mid-term review waits for `bid`'s mid-term evidence. A team that continues, or
    that is ended while still active, is judged on it. A delisted studio or an archived team can
    hand in nothing (`evidence_refusal`), so the poster may end it without its evidence; otherwise
    the race could never hold its review."""
    return not ended or bidder_is_active(bid)


def can_see_award_rationale(user, challenge: Challenge) -> bool:
    """The award rationale compares bids: for those who oversee the work and the bidders, who
    were told the outcome; the public sees that the challenge was awarded, not why."""
    if not user.is_authenticated:
        return False
    return (
        oversees_work(user, challenge)
        or challenge.bids.filter(Q(studio__in=my_studios(user)) | Q(team__in=my_teams(user))).exists()
    )


def can_manage_review(user, challenge: Challenge) -> bool:
    """Shortlist, clarifying questions, export: the poster side."""
    return is_poster_side(user, challenge)


# When the poster side shortlists bids and asks bidders clarifying questions (the services and
# the page's flags read these).
SHORTLIST_STATES = frozenset({State.UNDER_REVIEW})
CLARIFY_STATES = frozenset({State.BIDDING_CLOSED, State.UNDER_REVIEW})


def can_triage_problem(user, problem: Problem) -> bool:
    return user.is_authenticated and (
        admin_covers_unit(user, problem.unit) or user.poster_grants.filter(unit_id=problem.unit_id).exists()
    )


def problems_visible_filter(user) -> Q:
    """The problems `user` may read, as a filter on Problem: their own, and those of the units
    they triage (post for, or administer). The one statement of the rule; `can_see_problem` is
    derived from it, so the list and the object agree."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return (
        Q(submitter=user)
        | Q(unit__in=PosterGrant.objects.filter(user=user).values("unit"))
        | admin_scope_filter(user, "unit")
    )


def can_see_problem(user, problem: Problem) -> bool:
    """`problems_visible_filter` asked about one problem (one query)."""
    return (
        user.is_authenticated
        and Problem.objects.filter(problems_visible_filter(user), pk=problem.pk).exists()
    )


def conflict_reasons(expert, bids) -> list[str]:
    """Why `expert` may not review bids from these bidders, naming them: for the recusal record
    the poster side reads (the expert is told only that a conflict was found)."""
    parties = [owner_party(studio=bid.studio, team=bid.team) for bid in bids]
    return core_conflict_reasons(expert, parties, named=True)


def can_download_attachment(user, attachment, *, state: str) -> bool:
    """`state` is the effective state of the attachment's challenge (unused for problems)."""
    if attachment.problem_id:
        return can_see_problem(user, attachment.problem)
    if attachment.challenge_id:
        return can_see_challenge(user, attachment.challenge)
    if attachment.bid_id:
        return can_see_bid(user, attachment.bid, state=state)
    return can_see_milestone_evidence(user, attachment.milestone)


def oversees_work(user, challenge: Challenge) -> bool:
    """The poster side and the assigned, non-recused experts follow every team's work in detail."""
    return is_poster_side(user, challenge) or active_assignment(user, challenge) is not None


def can_see_milestone_evidence(user, milestone) -> bool:
    """Milestones are followed publicly (title, status, dates); evidence and review comments are
    for the team doing the work and those who oversee it."""
    return belongs_to_bidder(user, milestone.bid) or oversees_work(user, milestone.challenge)


def can_see_clarifications(user, bid: Bid, *, state: str) -> bool:
    """A bid's clarifying questions and answers go with the bid: its bidder, and whom the bids are
    open to (the poster side, the assigned experts once the review started)."""
    return can_see_bid(user, bid, state=state)


class ChallengeAccess:
    """What `user` may see and do on one challenge, computed here once for the page and the API
    (selectors.challenge_for attaches it). Each flag costs its queries only when read."""

    def __init__(self, user, challenge: Challenge, state: str):
        self.user = user
        self.challenge = challenge
        self.state = state

    @cached_property
    def poster_side(self) -> bool:
        return is_poster_side(self.user, self.challenge)

    @cached_property
    def sees_award_rationale(self) -> bool:
        return can_see_award_rationale(self.user, self.challenge)

    @cached_property
    def sees_return_comments(self) -> bool:
        """Comments returned with a draft are for the poster's side that edits it."""
        return self.poster_side

    @cached_property
    def may_edit(self) -> bool:
        return self.poster_side and self.challenge.state == State.DRAFT

    @cached_property
    def actions(self) -> list[Action]:
        return allowed_actions(self.user, self.challenge, self.state)

    @cached_property
    def assignment(self) -> ExpertAssignment | None:
        return active_assignment(self.user, self.challenge)

    @cached_property
    def may_review(self) -> bool:
        """Opens the review workspace: an expert who scores now, or whom the bids are open to."""
        return can_review(self.user, self.challenge, self.state) or bids_open_for(
            self.user, self.challenge, self.state
        )

    @cached_property
    def may_assign_experts(self) -> bool:
        return can_assign_experts(self.user, self.challenge)

    @cached_property
    def may_award(self) -> bool:
        return can_award(self.user, self.challenge) and self.state == State.UNDER_REVIEW

    @cached_property
    def may_manage_review(self) -> bool:
        return can_manage_review(self.user, self.challenge)

    @cached_property
    def may_shortlist(self) -> bool:
        return self.may_manage_review and self.state in SHORTLIST_STATES

    @cached_property
    def may_clarify(self) -> bool:
        return self.may_manage_review and self.state in CLARIFY_STATES

    @cached_property
    def scoring(self) -> bool:
        return self.assignment is not None and can_review(self.user, self.challenge, self.state)

    @cached_property
    def recusal(self) -> str:
        """ "declared" or "automatic" when `user` was recused from this review, else "". Never the
        stored reason: an automatic recusal names the conflicting bidder, which the expert (maybe
        a competing bidder) must not learn; the notification says as little."""
        assignment = expert_assignment(self.user, self.challenge)
        if assignment is None or not assignment.recused:
            return ""
        return "declared" if assignment.conflict_declared else "automatic"

    @cached_property
    def may_ask(self) -> bool:
        """Public questions are asked while the challenge is open for bids, by a logged-in member."""
        return self.user.is_authenticated and self.state == State.PUBLISHED

    @cached_property
    def may_bid_here(self) -> bool:
        """The bid section (eligibility of the user's studios and teams) is offered while open."""
        return self.may_ask

    @cached_property
    def may_answer_questions(self) -> bool:
        return self.poster_side
