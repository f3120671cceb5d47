"""The notifications' periodic step (run by `manage.py run_periodic`, platform_core/periodic.py):
compose the mails that are due (soon mails, daily digests) into the outbox, then send the outbox."""

from __future__ import annotations

import datetime

from .mail import compose_due_mails
from .mailer import send_due_mails


def run(now: datetime.datetime) -> dict[str, int]:
    composed = compose_due_mails(now)
    sent = send_due_mails(now)
    return {**composed, **sent}
