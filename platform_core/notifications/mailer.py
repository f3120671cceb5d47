"""Sending the outbox (OutgoingMail), by the periodic step: never inside a request.

Each mail is claimed before it is sent and marked after, each in its own committed statement:

1. claim: `pending` and due (or `sending` for longer than MAIL_SENDING_LEASE_MINUTES: a runner
   that died mid-send) → `sending`, attempts + 1, in one transaction that locks the rows (two
   runners never claim one mail);
2. hand it to the mail server (Django's e-mail backend: SMTP in production);
3. accepted: `sent`, with the time. Refused or server unreachable: back to `pending` with the
   error and a later attempt (MAIL_RETRY_SECONDS, doubling each time, at most
   MAIL_RETRY_MAX_SECONDS), or `failed` after MAIL_MAX_ATTEMPTS attempts or when the server
   refuses the address for good (5xx).

So a mail the server refused, or never got, is sent again later, and a mail recorded as sent is
never sent again. The one window left: the process dies (or the database is unreachable) after the
server accepted the mail and before step 3 is stored. The mail stays `sending`, and once its lease
has passed it is sent again: the recipient may get that one mail twice. docs/deployment.md says so.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

State = OutgoingMail.State


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt, after `attempts` failed ones."""
    seconds = settings.MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.MAIL_RETRY_MAX_SECONDS))


def _due(now: datetime.datetime) -> Q:
    lease = now - datetime.timedelta(minutes=settings.MAIL_SENDING_LEASE_MINUTES)
    return Q(state=State.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) | Q(
        state=State.SENDING, claimed_at__lt=lease
    )


def claim_due(now: datetime.datetime, limit: int) -> list[OutgoingMail]:
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.filter(_due(now))
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutgoingMail.objects.filter(pk__in=ids).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(OutgoingMail.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))


def _message(mail: OutgoingMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers=dict(mail.headers),
        connection=connection,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _mark(mail: OutgoingMail, **fields) -> None:
    # Only a claim of ours is marked: a row another runner took over after our lease is theirs.
    OutgoingMail.objects.filter(pk=mail.pk, state=State.SENDING, claimed_at=mail.claimed_at).update(**fields)


def _failed(mail: OutgoingMail, now: datetime.datetime, error: Exception, *, permanent: bool = False) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if permanent or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        _mark(mail, state=State.FAILED, last_error=text)
        logger.warning("mail %s to %s failed for good: %s", mail.pk, mail.to_address, text)
        return "failed"
    _mark(mail, state=State.PENDING, next_attempt_at=now + retry_delay(mail.attempts), last_error=text)
    logger.info("mail %s to %s will be retried: %s", mail.pk, mail.to_address, text)
    return "retried"


def _is_permanent(error: Exception) -> bool:
    """The server refused the address for good (5xx): trying again would not help. Anything else
    (the server away, busy, or refusing the sender: a configuration to fix) is tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return False


def send_due_mails(now: datetime.datetime) -> dict[str, int]:
    counts = {"sent": 0, "retried": 0, "failed": 0, "skipped": 0}
    mails = claim_due(now, settings.MAIL_SEND_BATCH)
    if not mails:
        return counts
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # the server is away: every claimed mail waits for a later pass
        for mail in mails:
            counts[_failed(mail, now, error)] += 1
        return counts
    try:
        for mail in mails:
            user = mail.recipient
            if user is not None and not (user.is_active and user.email):
                _mark(mail, state=State.SKIPPED, last_error="recipient inactive or without an address")
                counts["skipped"] += 1
                continue
            try:
                _message(mail, connection).send()
            except Exception as error:
                counts[_failed(mail, now, error, permanent=_is_permanent(error))] += 1
                # The connection may be broken: start afresh for the next mail.
                connection.close()
                continue
            _mark(mail, state=State.SENT, sent_at=timezone.now(), last_error="")
            logger.info("mail %s sent to %s", mail.pk, mail.to_address)
            counts["sent"] += 1
    finally:
        connection.close()
    return counts
