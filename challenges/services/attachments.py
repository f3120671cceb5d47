"""Attachments on problems, challenges, bids and milestone evidence, kept in private storage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.uploads import CHALLENGE_FILE

from .. import events, permissions
from ..lifecycle import State
from ..models import Attachment, Bid, Challenge, Milestone, Problem
from .common import lock_challenge


def _check_file(upload) -> str:
    return CHALLENGE_FILE.admit(upload)


def attachment_add(
    *,
    actor,
    upload,
    problem: Problem | None = None,
    challenge: Challenge | None = None,
    bid: Bid | None = None,
    milestone: Milestone | None = None,
    ip_address: str | None = None,
) -> Attachment:
    owners = [owner for owner in (problem, challenge, bid, milestone) if owner is not None]
    if len(owners) != 1:
        raise ValidationError(_("Attach the file to one thing."))
    name = _check_file(upload)
    with transaction.atomic():
        if problem is not None:
            allowed = problem.submitter_id == actor.pk and problem.status == Problem.Status.OPEN
        elif challenge is not None:
            challenge, _now, state = lock_challenge(challenge.pk)
            allowed = permissions.is_poster_side(actor, challenge) and state == State.DRAFT
        elif bid is not None:
            _locked, _now, state = lock_challenge(bid.challenge_id)
            # Re-read under the lock: the caller's copy may predate a withdrawal or a delisting.
            bid = Bid.objects.select_related("studio", "team").get(pk=bid.pk)
            allowed = (
                permissions.acts_for_bidder(actor, bid)
                and bid.status == Bid.Status.SUBMITTED
                and state == State.PUBLISHED
            )
        else:
            assert milestone is not None
            _locked, _now, state = lock_challenge(milestone.challenge_id)
            milestone = Milestone.objects.select_related("bid__studio", "bid__team").get(pk=milestone.pk)
            allowed = permissions.may_hand_in_evidence(actor, milestone, state=state)
        if not allowed:
            raise PermissionDenied(_("You may not attach files here now."))
        attachment = Attachment(
            problem=problem,
            challenge=challenge,
            bid=bid,
            milestone=milestone,
            name=name,
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(actor=actor, action=events.ATTACHMENT_ADDED, target=attachment, ip_address=ip_address)
    return attachment
