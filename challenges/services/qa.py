"""Public clarification Q&A: logged-in users ask, the poster answers, every bidder is told."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language

from .. import events, permissions
from ..lifecycle import State
from ..models import Bid, Question
from .common import challenge_url, lock_challenge, notify, required_text, verbatim


def question_ask(*, actor, challenge, body: str, ip_address: str | None = None) -> Question:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to ask a question."))
    body = required_text(body, field="body", message=_("Write the question."))
    with transaction.atomic():
        challenge, _now, state = lock_challenge(challenge.pk)
        if not permissions.can_see_challenge(actor, challenge):
            raise PermissionDenied(_("You cannot see this challenge."))
        if state != State.PUBLISHED:
            raise ValidationError(_("Questions are asked while the challenge is open for bids."))
        question = Question.objects.create(challenge=challenge, asked_by=actor, body=body)
        audit_record(actor=actor, action=events.QUESTION_ASKED_AUDIT, target=challenge, ip_address=ip_address)
        events.emit_question(question, answered=False)
        with platform_language():
            notify(
                [challenge.poster],
                kind=events.QUESTION_ASKED_AUDIT,
                title=lambda: _("A new question on “%(title)s”") % {"title": challenge.title},
                body=verbatim(body),
                url=challenge_url(challenge),
            )
    return question


def question_answer(*, actor, question: Question, answer: str, ip_address: str | None = None) -> Question:
    answer = required_text(answer, field="answer", message=_("Write the answer."))
    with transaction.atomic():
        challenge, _now, _state = lock_challenge(question.challenge_id)
        question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
        if not permissions.is_poster_side(actor, challenge):
            raise PermissionDenied(_("Only the poster or a union admin over the unit answers questions."))
        question.answer = answer
        question.answered_by = actor
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            actor=actor, action=events.QUESTION_ANSWERED_AUDIT, target=challenge, ip_address=ip_address
        )
        events.emit_question(question, answered=True)
        leads = [
            bid.lead
            for bid in challenge.bids.exclude(status=Bid.Status.WITHDRAWN).select_related(
                "studio__leader", "team__lead"
            )
        ]
        with platform_language():
            notify(
                [question.asked_by, *leads],
                kind=events.QUESTION_ANSWERED_AUDIT,
                title=lambda: _("A question on “%(title)s” was answered") % {"title": challenge.title},
                body=verbatim(answer),
                url=challenge_url(challenge),
            )
    return question
