"""The orgs' periodic step (run by `manage.py run_periodic`, platform_core/periodic.py): the
naming rounds' reminders of self-assessments and scores falling due."""

from __future__ import annotations

import datetime

from .naming.reminders import naming_send_due_reminders


def run(now: datetime.datetime) -> dict[str, int]:
    return naming_send_due_reminders(now=now)
