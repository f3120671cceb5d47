"""The periodic job may run on every host: a pass is done once at a time, by whoever takes the lock."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from platform_core import periodic


def _other_host_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_pass_is_skipped_while_another_runner_holds_the_lock(require_postgres, monkeypatch):
    ran: list[str] = []

    def probe(now) -> dict[str, int]:
        ran.append("probe")
        return {}

    monkeypatch.setattr(periodic, "periodic_steps", lambda: [("probe", probe)])
    with _other_host_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [periodic.PASS_LOCK_KEY])
        assert periodic.run_pass() is None
        assert ran == []
        other.execute("SELECT pg_advisory_unlock(%s)", [periodic.PASS_LOCK_KEY])
    assert periodic.run_pass() == {"probe": {}}
    assert ran == ["probe"]


@pytest.mark.django_db(transaction=True)
def test_a_pass_gives_the_lock_back_even_when_a_step_fails(require_postgres, monkeypatch):
    def broken(now):
        raise RuntimeError("step failed")

    monkeypatch.setattr(periodic, "periodic_steps", lambda: [("broken", broken)])
    assert periodic.run_pass() == {"broken": {"failed": 1}}
    with _other_host_connection() as other:
        taken = other.execute("SELECT pg_try_advisory_lock(%s)", [periodic.PASS_LOCK_KEY]).fetchone()
        assert taken == (True,)
