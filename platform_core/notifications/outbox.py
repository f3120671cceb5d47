"""Putting a mail in the outbox, for the periodic step to send (mailer.py): the one way any app
sends a mail. Within a request this is only an INSERT, so a slow or absent mail server never
holds a page, and a mail server that is down delays the mail instead of losing it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .models import OutgoingMail


def mail_enqueue(
    *,
    to_address: str,
    subject: str,
    text: str,
    html: str = "",
    dedup_key: str,
    recipient=None,
    kinds: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingMail | None:
    """Store one mail to send; None if a mail with this `dedup_key` is already stored."""
    # A subject is one line (a header): a line break in it would start another header.
    subject = " ".join(subject.split())[:255]
    try:
        with transaction.atomic():
            return OutgoingMail.objects.create(
                recipient=recipient,
                to_address=to_address,
                subject=subject,
                text=text,
                html=html,
                dedup_key=dedup_key[:200],
                kinds=kinds or [],
                headers=headers or {},
            )
    except IntegrityError:
        return None


def mails_retry(*, actor, mails) -> int:
    """Put failed mails back in the queue (the admin's "Send again", for superusers only)."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied
    return mails.filter(state=OutgoingMail.State.FAILED).update(
        state=OutgoingMail.State.PENDING, next_attempt_at=None, attempts=0
    )
