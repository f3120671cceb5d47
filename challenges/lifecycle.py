"""The challenge lifecycle: (state, action) -> (new state, who may). The single source of truth.

docs/challenges.md prints this table; services/challenges.py applies it; tests walk every cell.

The deadline rule: a published challenge whose bidding deadline has passed IS closed for bidding,
whether or not the periodic job has written `bidding_closed` yet. `effective_state` decides it from
the deadline and the database clock, which selectors annotate (`effective_state_expression`) and
services read under a row lock, so a page, the API and a bid submit agree at the deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from .models import Challenge

State = Challenge.State


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    CLOSE_BIDDING = "close_bidding"
    START_REVIEW = "start_review"
    AWARD = "award"
    START_WORK = "start_work"
    DELIVER = "deliver"
    ACCEPT = "accept"
    SEND_BACK = "send_back"
    WITHDRAW = "withdraw"
    FAIL = "fail"


class Role(StrEnum):
    # The challenge's poster, or anyone who may post for its unit (PosterGrant).
    POSTER = "poster"
    # A union admin whose groups or regions cover the posting unit; superusers too.
    ADMIN = "admin"
    # The lead of a winning bid's studio or team.
    WINNER = "winner"
    # The periodic job (and the deadline rule itself).
    SYSTEM = "system"


ACTION_LABELS = {
    Action.SUBMIT: _("Submit for approval"),
    Action.APPROVE: _("Approve and publish"),
    Action.RETURN: _("Return with comments"),
    Action.CLOSE_BIDDING: _("Close bidding"),
    Action.START_REVIEW: _("Start the review"),
    Action.AWARD: _("Award"),
    Action.START_WORK: _("Start the work"),
    Action.DELIVER: _("Deliver"),
    Action.ACCEPT: _("Accept (验收)"),
    Action.SEND_BACK: _("Send back to work"),
    Action.WITHDRAW: _("Withdraw"),
    Action.FAIL: _("Mark as failed"),
}


@dataclass(frozen=True)
class Transition:
    target: str
    roles: frozenset[Role]
    # The text a refused actor reads: who may do it.
    who: str


def _t(target: str, *roles: Role) -> Transition:
    return Transition(target=target, roles=frozenset(roles), who=", ".join(roles))


_POSTER_OR_ADMIN = (Role.POSTER, Role.ADMIN)

TRANSITIONS: dict[tuple[str, Action], Transition] = {
    (State.DRAFT, Action.SUBMIT): _t(State.PENDING_APPROVAL, Role.POSTER),
    (State.DRAFT, Action.WITHDRAW): _t(State.WITHDRAWN, *_POSTER_OR_ADMIN),
    (State.PENDING_APPROVAL, Action.APPROVE): _t(State.PUBLISHED, Role.ADMIN),
    (State.PENDING_APPROVAL, Action.RETURN): _t(State.DRAFT, Role.ADMIN),
    (State.PENDING_APPROVAL, Action.WITHDRAW): _t(State.WITHDRAWN, *_POSTER_OR_ADMIN),
    # Only the job closes bidding early: the deadline rule closes it for everyone else.
    (State.PUBLISHED, Action.CLOSE_BIDDING): _t(State.BIDDING_CLOSED, Role.SYSTEM),
    (State.PUBLISHED, Action.WITHDRAW): _t(State.WITHDRAWN, *_POSTER_OR_ADMIN),
    (State.BIDDING_CLOSED, Action.START_REVIEW): _t(State.UNDER_REVIEW, *_POSTER_OR_ADMIN),
    (State.BIDDING_CLOSED, Action.WITHDRAW): _t(State.WITHDRAWN, *_POSTER_OR_ADMIN),
    # No bid came, or none was good enough.
    (State.BIDDING_CLOSED, Action.FAIL): _t(State.FAILED, *_POSTER_OR_ADMIN),
    (State.UNDER_REVIEW, Action.AWARD): _t(State.AWARDED, Role.POSTER),
    (State.UNDER_REVIEW, Action.FAIL): _t(State.FAILED, *_POSTER_OR_ADMIN),
    (State.AWARDED, Action.START_WORK): _t(State.IN_PROGRESS, Role.POSTER, Role.WINNER),
    (State.AWARDED, Action.FAIL): _t(State.FAILED, *_POSTER_OR_ADMIN),
    (State.IN_PROGRESS, Action.DELIVER): _t(State.DELIVERED, Role.WINNER),
    (State.IN_PROGRESS, Action.FAIL): _t(State.FAILED, *_POSTER_OR_ADMIN),
    (State.DELIVERED, Action.ACCEPT): _t(State.ACCEPTED, Role.POSTER),
    (State.DELIVERED, Action.SEND_BACK): _t(State.IN_PROGRESS, Role.POSTER),
    (State.DELIVERED, Action.FAIL): _t(State.FAILED, *_POSTER_OR_ADMIN),
}

# Actions whose free text is required (return comments, reasons).
ACTIONS_NEEDING_TEXT = frozenset({Action.RETURN, Action.SEND_BACK, Action.WITHDRAW, Action.FAIL})

# States in which the challenge is public (to those its eligibility lets see it).
PUBLIC_STATES = frozenset(
    {
        State.PUBLISHED,
        State.BIDDING_CLOSED,
        State.UNDER_REVIEW,
        State.AWARDED,
        State.IN_PROGRESS,
        State.DELIVERED,
        State.ACCEPTED,
        State.FAILED,
    }
)
# Once bidding has closed, the poster and the assigned experts may open the bids.
SEALED_STATES = frozenset({State.DRAFT, State.PENDING_APPROVAL, State.PUBLISHED})


def effective_state(challenge: Challenge, now: datetime.datetime) -> str:
    """The state as of `now` (the database clock): published past its deadline is closed."""
    if challenge.state == State.PUBLISHED and challenge.bidding_deadline <= now:
        return State.BIDDING_CLOSED
    return challenge.state


def effective_state_expression(prefix: str = "") -> Case:
    """The same rule as a SQL expression, for selectors: `.annotate(effective_state=...)`;
    `prefix` reaches the challenge from another model (`"challenge__"` on bids)."""
    return Case(
        When(
            Q(**{f"{prefix}state": State.PUBLISHED, f"{prefix}bidding_deadline__lte": Now()}),
            then=Value(State.BIDDING_CLOSED.value),
        ),
        default=F(f"{prefix}state"),
        output_field=CharField(),
    )


def transition_for(state: str, action: Action) -> Transition | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source == state]
