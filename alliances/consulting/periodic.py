"""The periodic step of consultations (platform_core/periodic.py): questions left untaken, or
taken and unanswered, past their committee's time go to its chair."""

from __future__ import annotations

import datetime

from .services import consultations_escalate


def run(now: datetime.datetime) -> dict[str, int]:
    return {"escalated": consultations_escalate(now)}
