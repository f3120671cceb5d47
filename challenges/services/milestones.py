"""After the award: milestones with evidence, the poster's review, reward stages, progress reports."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language

from .. import events, permissions
from ..models import Bid, Challenge, Milestone, ProgressReport
from .attachments import attachment_add
from .common import challenge_url, lock_challenge, notify, optional_text, required_text, verbatim


def _locked_milestone(milestone: Milestone) -> tuple[Milestone, Challenge, str]:
    challenge, _now, state = lock_challenge(milestone.challenge_id)
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("bid__studio__leader", "bid__team__lead")
        .get(pk=milestone.pk)
    )
    return milestone, challenge, state


def milestone_submit(
    *, actor, milestone: Milestone, evidence_note: str, uploads=(), ip_address: str | None = None
) -> Milestone:
    """The winning bidder's lead hands in the evidence of a milestone, with its files (`uploads`).

    The files are attached in the same transaction, while the milestone still waits for evidence:
    a refused file refuses the whole submission, and nothing changes."""
    evidence_note = required_text(
        evidence_note, field="evidence_note", message=_("Describe the evidence."), max_length=8000
    )
    with transaction.atomic():
        milestone, challenge, state = _locked_milestone(milestone)
        refusal = permissions.evidence_refusal(actor, milestone, state=state)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        for upload in uploads:
            attachment_add(actor=actor, upload=upload, milestone=milestone, ip_address=ip_address)
        milestone.status = Milestone.Status.SUBMITTED
        milestone.evidence_note = evidence_note
        milestone.submitted_at = timezone.now()
        milestone.save(update_fields=["status", "evidence_note", "submitted_at"])
        audit_record(actor=actor, action=events.MILESTONE_SUBMITTED, target=milestone, ip_address=ip_address)
        events.emit_milestone(milestone)
        with platform_language():
            notify(
                [challenge.poster],
                kind=events.MILESTONE_SUBMITTED,
                title=lambda: (
                    _("Milestone “%(milestone)s” of “%(title)s” awaits your review")
                    % {"milestone": milestone.title, "title": challenge.title}
                ),
                url=challenge_url(challenge),
            )
    return milestone


def milestone_review(
    *, actor, milestone: Milestone, accept: bool, comments: str = "", ip_address: str | None = None
) -> Milestone:
    """The poster accepts a milestone's evidence or sends it back with comments."""
    comments = optional_text(comments, max_length=8000)
    if not accept and not comments:
        raise ValidationError({"comments": _("Say what must change before the milestone is accepted.")})
    with transaction.atomic():
        milestone, challenge, state = _locked_milestone(milestone)
        refusal = permissions.milestone_review_refusal(actor, milestone, challenge=challenge, state=state)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        milestone.status = Milestone.Status.ACCEPTED if accept else Milestone.Status.RETURNED
        milestone.review_comments = comments
        milestone.reviewed_by = actor
        milestone.reviewed_at = timezone.now()
        milestone.save(update_fields=["status", "review_comments", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action=events.MILESTONE_ACCEPTED if accept else events.MILESTONE_RETURNED,
            target=milestone,
            ip_address=ip_address,
            data={"comments": comments},
        )
        events.emit_milestone(milestone)
        bid = milestone.bid
        with platform_language():
            notify(
                [bid.lead],
                kind=events.NOTICE_MILESTONE_REVIEWED,
                title=lambda: (
                    (
                        _("Milestone “%(milestone)s” was accepted")
                        if accept
                        else _("Milestone “%(milestone)s” was sent back")
                    )
                    % {"milestone": milestone.title}
                ),
                body=verbatim(comments),
                url=challenge_url(challenge),
            )
    return milestone


def milestone_release_reward(
    *, actor, milestone: Milestone, amount, ip_address: str | None = None
) -> Milestone:
    """Record that (part of) an accepted milestone's reward stage was released. No money moves here."""
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationError({"amount": _("Enter an amount.")}) from None
    with transaction.atomic():
        milestone, challenge, _state = _locked_milestone(milestone)
        refusal = permissions.reward_release_refusal(actor, milestone, challenge=challenge)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        if amount <= 0 or milestone.reward_released + amount > milestone.reward_due:
            raise ValidationError({"amount": _("Release more than 0 and no more than what is still due.")})
        milestone.reward_released += amount
        milestone.reward_released_at = timezone.now()
        milestone.save(update_fields=["reward_released", "reward_released_at"])
        audit_record(
            actor=actor,
            action=events.MILESTONE_REWARD_RELEASED,
            target=milestone,
            ip_address=ip_address,
            data={"amount": amount},
        )
        events.emit_milestone(milestone)
    return milestone


def progress_report_add(*, actor, bid: Bid, body: str, ip_address: str | None = None) -> ProgressReport:
    body = required_text(body, field="body", message=_("Write the report."), max_length=20000)
    with transaction.atomic():
        challenge, _now, state = lock_challenge(bid.challenge_id)
        bid = Bid.objects.select_related("studio", "team").get(pk=bid.pk)
        refusal = permissions.progress_report_refusal(actor, bid, state=state)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        report = ProgressReport.objects.create(challenge=challenge, bid=bid, author=actor, body=body)
        audit_record(actor=actor, action=events.PROGRESS_REPORTED, target=bid, ip_address=ip_address)
        with platform_language():
            notify(
                [challenge.poster],
                kind=events.PROGRESS_REPORTED,
                title=lambda: _("A progress report on “%(title)s”") % {"title": challenge.title},
                url=challenge_url(challenge),
            )
    return report
