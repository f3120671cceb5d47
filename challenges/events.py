"""The live events of challenges: names, topics and payload builders, in one place.

Nothing here carries a bid's content or its bidder while bidding is open: the only bid figure on
a public topic is the count, and only when the challenge shows it.
"""

from __future__ import annotations

from platform_core.realtime.services import emit

from .models import Challenge, Milestone, Question

BOARD_TOPIC = "board:all"

STATE_CHANGED = "challenge.state_changed"
BID_COUNT = "challenge.bid_count"
QUESTION_ASKED = "challenge.question_asked"
QUESTION_ANSWERED = "challenge.question_answered"
MILESTONE_UPDATED = "challenge.milestone_updated"
BOARD_PUBLISHED = "board.challenge_published"


def challenge_summary(challenge: Challenge) -> dict:
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "unit": challenge.unit.name,
        "fields": challenge.fields,
        "reward_amount": str(challenge.reward_amount),
        "reward_form": challenge.reward_form,
        "bidding_deadline": challenge.bidding_deadline.isoformat(),
    }


def state_payload(challenge: Challenge, *, state: str, previous: str, action: str) -> dict:
    return {
        "id": challenge.pk,
        "state": state,
        "previous": previous,
        "action": action,
        "state_label": str(Challenge.State(state).label),
    }


def question_payload(question: Question) -> dict:
    # The asker is not named on the public topic: asking may hint at who intends to bid.
    return {
        "id": question.pk,
        "body": question.body,
        "answer": question.answer,
        "answered_at": question.answered_at.isoformat() if question.answered_at else None,
    }


def milestone_payload(milestone: Milestone) -> dict:
    return {
        "id": milestone.pk,
        "bid_id": milestone.bid_id,
        "position": milestone.position,
        "title": milestone.title,
        "status": milestone.status,
        "due_date": milestone.due_date.isoformat(),
    }


def emit_state_changed(challenge: Challenge, *, previous: str, action: str) -> None:
    emit(
        challenge.topic,
        STATE_CHANGED,
        state_payload(challenge, state=challenge.state, previous=previous, action=action),
    )


def emit_bid_count(challenge: Challenge, count: int) -> None:
    emit(challenge.topic, BID_COUNT, {"id": challenge.pk, "count": count})


def emit_question(question: Question, *, answered: bool) -> None:
    emit(
        question.challenge.topic,
        QUESTION_ANSWERED if answered else QUESTION_ASKED,
        question_payload(question),
    )


def emit_milestone(milestone: Milestone) -> None:
    emit(milestone.challenge.topic, MILESTONE_UPDATED, milestone_payload(milestone))


def emit_board_published(challenge: Challenge) -> None:
    """Announce a newly published challenge on the board, unless it is by invitation only."""
    if challenge.eligibility == Challenge.Eligibility.INVITATION:
        return
    emit(BOARD_TOPIC, BOARD_PUBLISHED, challenge_summary(challenge))
