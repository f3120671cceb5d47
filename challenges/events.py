"""The live events of challenges: names, topics and payload builders, in one place.

Nothing here carries a bid's content or its bidder while bidding is open: the only bid figure on
a public topic is the count, and only when the challenge shows it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels, register_sealed_actions
from platform_core.notifications.kinds import EmailMode, register
from platform_core.realtime.services import emit

from .lifecycle import ACTION_LABELS, Action
from .models import Challenge, Milestone, Question

BOARD_TOPIC = "board:all"

STATE_CHANGED = "challenge.state_changed"
BID_COUNT = "challenge.bid_count"
QUESTION_ASKED = "challenge.question_asked"
QUESTION_ANSWERED = "challenge.question_answered"
MILESTONE_UPDATED = "challenge.milestone_updated"
BOARD_PUBLISHED = "board.challenge_published"

# Audit actions (the trail's `action` column). A lifecycle transition is recorded as
# "challenge.<action>" (TRANSITION_AUDIT_ACTIONS), labelled with the action's own label.
CHALLENGE_CREATED = "challenge.created"
CHALLENGE_UPDATED = "challenge.updated"
CHALLENGE_MIDTERM_SET = "challenge.midterm_set"
CHALLENGE_MIDTERM_REVIEW = "challenge.midterm_review"
PROBLEM_SUBMITTED = "problem.submitted"
PROBLEM_MERGED = "problem.merged"
PROBLEM_REJECTED = "problem.rejected"
PROBLEM_DRAFTED = "problem.drafted"
BID_SUBMITTED = "bid.submitted"
BID_UPDATED = "bid.updated"
BID_WITHDRAWN = "bid.withdrawn"
ATTACHMENT_ADDED = "attachment.added"
PROGRESS_REPORTED = "progress.reported"
EXPERT_ASSIGNED = "review.expert_assigned"
CONFLICT_DECLARED = "review.conflict_declared"
BID_SCORED = "review.scored"
BID_SHORTLISTED = "review.shortlisted"
CLARIFICATION_ASKED = "review.clarification_asked"
CLARIFICATION_ANSWERED = "review.clarification_answered"
MILESTONE_SUBMITTED = "milestone.submitted"
MILESTONE_ACCEPTED = "milestone.accepted"
MILESTONE_RETURNED = "milestone.returned"
MILESTONE_REWARD_RELEASED = "milestone.reward_released"
QUESTION_ASKED_AUDIT = "question.asked"
QUESTION_ANSWERED_AUDIT = "question.answered"

# Notification kinds (Notification.kind: stored, so never renamed). A lifecycle transition's
# notification has the kind of its audit action (TRANSITION_AUDIT_ACTIONS); problem, question,
# milestone and progress notices share their audit action's name.
NOTICE_BIDDING_CLOSED = "challenge.bidding_closed"
NOTICE_BID_RECEIVED = "bid.received"
NOTICE_BID_AWARDED = "bid.awarded"
NOTICE_BID_NOT_AWARDED = "bid.not_awarded"
NOTICE_BID_ELIMINATED = "bid.eliminated"
NOTICE_REVIEW_ASSIGNED = "review.assigned"
NOTICE_RECUSED = "review.recused"
NOTICE_CLARIFICATION = "review.clarification"
NOTICE_CLARIFICATION_ANSWERED = "review.clarification_answered"
NOTICE_MILESTONE_REVIEWED = "milestone.reviewed"
# Reminders: the kind a ReminderSent row records once, and its notification's kind.
REMINDER_DEADLINE = "deadline_24h"
REMINDER_MILESTONE_OVERDUE = "milestone_overdue"
REMINDER_NOTICES = {
    REMINDER_DEADLINE: "reminder.deadline_24h",
    REMINDER_MILESTONE_OVERDUE: "reminder.milestone_overdue",
}

TRANSITION_AUDIT_ACTIONS = {action: f"challenge.{action.value}" for action in Action}

# The notification kinds with their e-mail defaults (platform_core/notifications/kinds.py): what a
# person must act on soon goes soon (a bid's result, a review to do, a milestone to check, a
# deadline tomorrow), the rest in the daily digest.
_CHALLENGES = _("Challenges")
for _kind, _label, _mode in [
    (TRANSITION_AUDIT_ACTIONS[Action.APPROVE], _("My challenge approved and published"), EmailMode.DIGEST),
    (TRANSITION_AUDIT_ACTIONS[Action.RETURN], _("My challenge returned with comments"), EmailMode.SOON),
    (TRANSITION_AUDIT_ACTIONS[Action.WITHDRAW], _("A challenge I bid on withdrawn"), EmailMode.DIGEST),
    (TRANSITION_AUDIT_ACTIONS[Action.FAIL], _("A challenge I bid on failed"), EmailMode.DIGEST),
    (TRANSITION_AUDIT_ACTIONS[Action.ACCEPT], _("My delivery accepted"), EmailMode.SOON),
    (TRANSITION_AUDIT_ACTIONS[Action.SEND_BACK], _("My delivery sent back"), EmailMode.SOON),
    (NOTICE_BIDDING_CLOSED, _("Bidding closed"), EmailMode.DIGEST),
    (NOTICE_BID_RECEIVED, _("A bid received on my challenge"), EmailMode.DIGEST),
    (NOTICE_BID_AWARDED, _("My bid won"), EmailMode.SOON),
    (NOTICE_BID_NOT_AWARDED, _("My bid did not win"), EmailMode.SOON),
    (NOTICE_BID_ELIMINATED, _("My bid left out of the shortlist"), EmailMode.SOON),
    (NOTICE_REVIEW_ASSIGNED, _("Bids to review"), EmailMode.SOON),
    (NOTICE_RECUSED, _("Recused from a review"), EmailMode.DIGEST),
    (NOTICE_CLARIFICATION, _("A reviewer asks my team for clarification"), EmailMode.SOON),
    (NOTICE_CLARIFICATION_ANSWERED, _("A clarification answered"), EmailMode.DIGEST),
    (MILESTONE_SUBMITTED, _("A milestone to review"), EmailMode.SOON),
    (NOTICE_MILESTONE_REVIEWED, _("My milestone reviewed"), EmailMode.SOON),
    (PROGRESS_REPORTED, _("A progress report on my challenge"), EmailMode.DIGEST),
    (PROBLEM_MERGED, _("My problem merged into another"), EmailMode.DIGEST),
    (PROBLEM_REJECTED, _("My problem rejected"), EmailMode.DIGEST),
    (PROBLEM_DRAFTED, _("A challenge drafted from my problem"), EmailMode.DIGEST),
    (QUESTION_ASKED_AUDIT, _("A question on my challenge"), EmailMode.DIGEST),
    (QUESTION_ANSWERED_AUDIT, _("A question answered"), EmailMode.DIGEST),
    (REMINDER_NOTICES[REMINDER_DEADLINE], _("Bidding closes within a day"), EmailMode.SOON),
    (REMINDER_NOTICES[REMINDER_MILESTONE_OVERDUE], _("A milestone overdue"), EmailMode.DIGEST),
]:
    register(_kind, _label, _mode, group=_CHALLENGES)

register_action_labels(
    {
        CHALLENGE_CREATED: _("Challenge drafted"),
        CHALLENGE_UPDATED: _("Challenge edited"),
        CHALLENGE_MIDTERM_SET: _("Mid-term review point set"),
        CHALLENGE_MIDTERM_REVIEW: _("Mid-term review held"),
        PROBLEM_SUBMITTED: _("Problem submitted"),
        PROBLEM_MERGED: _("Problem merged"),
        PROBLEM_REJECTED: _("Problem rejected"),
        PROBLEM_DRAFTED: _("Challenge drafted from a problem"),
        BID_SUBMITTED: _("Bid submitted"),
        BID_UPDATED: _("Bid edited"),
        BID_WITHDRAWN: _("Bid withdrawn"),
        ATTACHMENT_ADDED: _("File attached"),
        PROGRESS_REPORTED: _("Progress reported"),
        EXPERT_ASSIGNED: _("Expert assigned"),
        CONFLICT_DECLARED: _("Conflict of interest declared"),
        BID_SCORED: _("Bid scored"),
        BID_SHORTLISTED: _("Shortlist changed"),
        CLARIFICATION_ASKED: _("Clarification asked"),
        CLARIFICATION_ANSWERED: _("Clarification answered"),
        MILESTONE_SUBMITTED: _("Milestone evidence submitted"),
        MILESTONE_ACCEPTED: _("Milestone accepted"),
        MILESTONE_RETURNED: _("Milestone sent back"),
        MILESTONE_REWARD_RELEASED: _("Reward stage released"),
        QUESTION_ASKED_AUDIT: _("Question asked"),
        QUESTION_ANSWERED_AUDIT: _("Question answered"),
        **{TRANSITION_AUDIT_ACTIONS[action]: label for action, label in ACTION_LABELS.items()},
    }
)

# Entries about bids, their files, scores and clarifications name the bidder (their actor or
# target): only superusers read them in the admin and in any history page.
register_sealed_actions(
    [
        BID_SUBMITTED,
        BID_UPDATED,
        BID_WITHDRAWN,
        ATTACHMENT_ADDED,
        PROGRESS_REPORTED,
        BID_SCORED,
        BID_SHORTLISTED,
        CLARIFICATION_ASKED,
        CLARIFICATION_ANSWERED,
    ]
)


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
