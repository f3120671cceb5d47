"""Periodic jobs, gathered like the demo steps: `python manage.py run_periodic`.

Each installed app may bring a `periodic.py` module with a `run(now) -> dict[str, int]` function
(what it did, counted). One pass runs every app's step in INSTALLED_APPS order with the same
`now`, read from the database clock so that runners on several hosts agree. A step must be safe to
run in several places at once (a unique constraint, not a check-then-insert); a step that fails
is logged and does not stop the others.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

PeriodicStep = Callable[[datetime.datetime], dict[str, int]]


def periodic_steps() -> list[tuple[str, PeriodicStep]]:
    """(app label, step) of every installed app that has a `periodic` module."""
    steps = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "periodic"):
            steps.append((config.label, import_module(f"{config.name}.periodic").run))
    return steps


def database_now() -> datetime.datetime:
    """The database clock, in one statement of its own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite answers text, in UTC
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def run_pass(now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """One pass of every app's step: {app label: its counts}. A failed step is logged, counted
    as {"failed": 1}, and the next pass retries it."""
    now = now or database_now()
    results: dict[str, dict[str, int]] = {}
    for label, step in periodic_steps():
        try:
            results[label] = step(now)
        except Exception:
            logger.exception("periodic step of %s failed", label)
            results[label] = {"failed": 1}
    return results
