"""The learning app's periodic step (platform_core/periodic.py): live session reminders."""

from __future__ import annotations

import datetime

from .services.sessions import sessions_remind


def run(now: datetime.datetime) -> dict[str, int]:
    return {"session_reminders": sessions_remind(now)}
