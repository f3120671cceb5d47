"""The challenges' periodic step (run by `manage.py run_periodic`, platform_core/periodic.py):
close bidding at deadlines, remind 24 hours ahead, flag overdue milestones. Safe to run in several
places at once: each reminder is recorded under a unique constraint before it is sent."""

from __future__ import annotations

import datetime

from .services.reminders import challenge_send_due_reminders


def run(now: datetime.datetime) -> dict[str, int]:
    return challenge_send_due_reminders(now=now)
