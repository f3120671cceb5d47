"""The periodic step of units and studios (run by `manage.py run_periodic`,
platform_core/periodic.py): the naming rounds' reminders of self-assessments and scores falling
due, and imports whose worker ended with its process are failed."""

from __future__ import annotations

import datetime

from .import_jobs import fail_stale_jobs
from .naming.reminders import naming_send_due_reminders


def run(now: datetime.datetime) -> dict[str, int]:
    return {**naming_send_due_reminders(now=now), "stale_imports_failed": fail_stale_jobs(now)}
