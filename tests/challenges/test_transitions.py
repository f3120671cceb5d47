"""Every cell of the lifecycle: each state × each action × each role of the cast, allowed or
refused with a clear message. The expected table is written out here, independently of
challenges/lifecycle.py, so a change to either shows up as a failing cell."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from challenges.lifecycle import Action, State
from challenges.models import Bid, Challenge
from challenges.permissions import transition_refusal
from challenges.services import challenges as challenge_services
from challenges.services import reviews

ROLES = ["superadmin", "admin", "poster", "leader1", "leader2", "member", "expert", "outsider"]
POSTER_OR_ADMIN = {"poster", "admin", "superadmin"}

# (state, action) -> the cast members who may do it. Every pair not listed is refused to all.
# leader2's studio wins from `awarded` on; leader1's studio loses.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("draft", "submit"): {"poster"},
    ("draft", "withdraw"): POSTER_OR_ADMIN,
    ("pending_approval", "approve"): {"admin", "superadmin"},
    ("pending_approval", "return"): {"admin", "superadmin"},
    ("pending_approval", "withdraw"): POSTER_OR_ADMIN,
    ("published", "close_bidding"): set(),  # the platform only (the deadline, the periodic job)
    ("published", "withdraw"): POSTER_OR_ADMIN,
    ("bidding_closed", "start_review"): POSTER_OR_ADMIN,
    ("bidding_closed", "withdraw"): POSTER_OR_ADMIN,
    ("bidding_closed", "fail"): POSTER_OR_ADMIN,
    ("under_review", "award"): {"poster"},
    ("under_review", "fail"): POSTER_OR_ADMIN,
    ("awarded", "start_work"): {"poster", "leader2"},
    ("awarded", "fail"): POSTER_OR_ADMIN,
    ("in_progress", "deliver"): {"leader2"},
    ("in_progress", "fail"): POSTER_OR_ADMIN,
    ("delivered", "accept"): {"poster"},
    ("delivered", "send_back"): {"poster"},
    ("delivered", "fail"): POSTER_OR_ADMIN,
}
TARGETS = {
    "submit": "pending_approval",
    "approve": "published",
    "return": "draft",
    "close_bidding": "bidding_closed",
    "start_review": "under_review",
    "award": "awarded",
    "start_work": "in_progress",
    "deliver": "delivered",
    "accept": "accepted",
    "send_back": "in_progress",
    "withdraw": "withdrawn",
    "fail": "failed",
}


class Rollback(Exception):
    """Undo an allowed transition, so the next role starts from the same state."""


def _perform(world, challenge: Challenge, actor, action: str) -> Challenge:
    if action == "award":
        winner = challenge.bids.get(studio=world.cast.studio2, status=Bid.Status.SUBMITTED)
        return reviews.challenge_award(actor=actor, challenge=challenge, winners=[winner], rationale="最优")
    return challenge_services.challenge_transition(
        actor=actor, challenge=challenge, action=action, text="理由"
    )


@pytest.mark.parametrize(
    ("state", "materialise"),
    [(state, True) for state in Challenge.State.values] + [("bidding_closed", False)],
)
def test_every_role_and_action_in_state(world, state, materialise):
    """With materialise=False the challenge is published past its deadline: no job has run, and
    every cell must still be that of bidding_closed (the deadline rule)."""
    challenge = world.in_state(state, materialise=materialise)
    assert challenge.state == (state if materialise else State.PUBLISHED)
    wrong: list[str] = []
    for action in Action:
        allowed = EXPECTED.get((state, action.value), set())
        for role in ROLES:
            actor = getattr(world.cast, role)
            refusal = transition_refusal(actor, challenge, state, action)
            if role in allowed:
                if refusal is not None:
                    wrong.append(f"{state} × {action} × {role}: refused ({refusal[1]})")
                    continue
                try:
                    with transaction.atomic():
                        after = _perform(world, challenge, actor, action.value)
                        if after.state != TARGETS[action.value]:
                            wrong.append(f"{state} × {action} × {role}: reached {after.state}")
                        raise Rollback
                except Rollback:
                    pass
                continue
            if refusal is None:
                wrong.append(f"{state} × {action} × {role}: allowed, expected refused")
                continue
            exception, message = refusal
            expected_exception = PermissionDenied if (state, action.value) in EXPECTED else ValidationError
            if exception is not expected_exception:
                wrong.append(f"{state} × {action} × {role}: {exception.__name__}")
            if expected_exception is PermissionDenied:
                assert message.startswith(("Only ", "只有")), message
            else:
                assert str(Challenge.State(state).label) in message, message
            if action.value in ("award", "close_bidding"):
                continue
            with pytest.raises(expected_exception) as raised:
                _perform(world, challenge, actor, action.value)
            assert message in str(raised.value)
        challenge.refresh_from_db()
        assert challenge.state == (state if materialise else State.PUBLISHED)
    assert wrong == []


def test_only_the_platform_closes_bidding(world):
    assert transition_refusal(None, world.published(), State.PUBLISHED, Action.CLOSE_BIDDING) is None


def test_award_and_close_are_not_generic_actions(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    for action in ("award", "close_bidding"):
        with pytest.raises(ValidationError):
            challenge_services.challenge_transition(
                actor=world.cast.poster, challenge=challenge, action=action
            )


def test_an_unknown_action_is_a_validation_error(world):
    with pytest.raises(ValidationError):
        challenge_services.challenge_transition(
            actor=world.cast.poster, challenge=world.draft(), action="explode"
        )


def test_actions_that_need_reasons_refuse_an_empty_text(world):
    challenge = world.in_state(State.PENDING_APPROVAL)
    with pytest.raises(ValidationError):
        challenge_services.challenge_transition(
            actor=world.cast.admin, challenge=challenge, action="return", text=" "
        )


def test_returned_challenge_keeps_the_comments_and_notifies_the_poster(world):
    challenge = world.in_state(State.PENDING_APPROVAL)
    challenge = world.act(challenge, world.cast.admin, "return", "请补充验收标准")
    assert challenge.state == State.DRAFT and challenge.return_comments == "请补充验收标准"
    assert world.cast.poster.notifications.filter(kind="challenge.return", body="请补充验收标准").exists()


def test_starting_the_review_without_bids_is_refused(world):
    from .conftest import pass_deadline

    challenge = pass_deadline(world.published())
    with pytest.raises(ValidationError, match="No bid"):
        world.act(challenge, world.cast.poster, "start_review")


def test_a_challenge_cannot_be_submitted_without_criteria_summing_to_100(world):
    challenge = world.draft(criteria=[])
    with pytest.raises(ValidationError) as raised:
        world.act(challenge, world.cast.poster, "submit")
    assert "criteria" in raised.value.message_dict
