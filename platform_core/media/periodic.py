"""The periodic step of media files (`manage.py run_periodic`, platform_core/periodic.py):
unfinished uploads left behind, and finished files nothing uses, are removed with their bytes."""

from __future__ import annotations

import datetime

from .services import media_remove_stale


def run(now: datetime.datetime) -> dict[str, int]:
    return media_remove_stale(now=now)
