"""Periodic jobs, gathered like the demo steps: `python manage.py run_periodic`.

Each installed app may bring a `periodic.py` module with a `run(now) -> dict[str, int]` function
(what it did, counted). One pass runs every app's step in INSTALLED_APPS order with the same
`now`, read from the database clock so that runners on several hosts agree. A step that fails
is logged and does not stop the others.

Operators may run the job on every host: on PostgreSQL a pass first takes a session advisory lock,
and a runner that finds it taken skips that pass, so the work is done once per interval, not once
per host. A step must still be safe to run twice (a unique constraint, not a check-then-insert):
the lock is a saving, not the guarantee.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterator
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

PeriodicStep = Callable[[datetime.datetime], dict[str, int]]

# pg_advisory_lock's key for "a periodic pass is running" (any constant unique to this platform).
PASS_LOCK_KEY = 0x6A6267735F706572  # "jbgs_per"


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


@contextlib.contextmanager
def pass_lock() -> Iterator[bool]:
    """Whether this runner holds the pass lock (always on a database without advisory locks)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [PASS_LOCK_KEY])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PASS_LOCK_KEY])


def run_pass(now: datetime.datetime | None = None) -> dict[str, dict[str, int]] | None:
    """One pass of every app's step: {app label: its counts}, or None when another runner's pass
    holds the lock. A failed step is logged, counted as {"failed": 1}, and the next pass retries it."""
    with pass_lock() as held:
        if not held:
            logger.info("periodic pass skipped: another runner holds the lock")
            return None
        return _run_steps(now or database_now())


def _run_steps(now: datetime.datetime) -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for label, step in periodic_steps():
        try:
            results[label] = step(now)
        except Exception:
            logger.exception("periodic step of %s failed", label)
            results[label] = {"failed": 1}
    return results
