"""The periodic step of units and studios: imports whose worker ended with its process are failed."""

from __future__ import annotations

import datetime

from .import_jobs import fail_stale_jobs


def run(now: datetime.datetime) -> dict[str, int]:
    return {"stale_imports_failed": fail_stale_jobs(now)}
