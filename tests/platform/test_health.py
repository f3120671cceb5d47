"""/healthz and /readyz, through the real ASGI application (they are answered before Django)."""

from __future__ import annotations

import json

import pytest
from channels.testing import HttpCommunicator
from django.db.backends.utils import CursorWrapper

from platform_core import health
from platform_core.asgi import application


async def get(path: str, method: str = "GET", headers=None) -> tuple[int, bytes, dict[bytes, bytes]]:
    answer = await HttpCommunicator(application, method, path, headers=headers or []).get_response(timeout=10)
    return answer["status"], answer["body"], dict(answer["headers"])


@pytest.mark.django_db
async def test_healthz_answers_without_session_or_database(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("/healthz touched the database")

    # Any query, in any thread, would fail: the session store and the user are database reads.
    monkeypatch.setattr(CursorWrapper, "execute", no_database)
    monkeypatch.setattr(CursorWrapper, "executemany", no_database)
    # A signed-in browser's cookie: through Django it would load the session from the database.
    status, body, headers = await get("/healthz", headers=[(b"cookie", b"sessionid=abcdefghijklmnop")])
    assert (status, body) == (200, b"ok")
    assert headers[b"cache-control"] == b"no-store"
    assert b"set-cookie" not in headers


@pytest.mark.django_db
async def test_healthz_needs_no_https_redirect_and_refuses_writes(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert (await get("/healthz"))[0] == 200
    assert (await get("/healthz", method="POST"))[0] == 405
    status, body, _ = await get("/healthz", method="HEAD")
    assert (status, body) == (200, b"")


@pytest.mark.django_db(transaction=True)
async def test_readyz_checks_the_database_and_redis(settings):
    status, body, headers = await get("/readyz")
    answer = json.loads(body)
    assert status == 200, answer
    assert headers[b"content-type"] == b"application/json"
    assert answer["status"] == "ready"
    expected = {"database": "ok", **({"redis": "ok"} if settings.REDIS_URL else {})}
    assert answer["checks"] == expected


@pytest.mark.django_db(transaction=True)
async def test_readyz_answers_503_naming_what_is_down(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    def database_down() -> None:
        raise ConnectionRefusedError("database is down")

    monkeypatch.setattr(health, "_check_database", database_down)
    status, body, _ = await get("/readyz")
    answer = json.loads(body)
    assert status == 503
    assert answer["status"] == "unavailable"
    assert answer["checks"]["database"] == "ConnectionRefusedError"
    assert answer["checks"]["redis"] == "ConnectionError"


@pytest.mark.django_db(transaction=True)
async def test_a_check_that_hangs_is_a_timeout_not_a_hang(monkeypatch):
    import time

    monkeypatch.setattr(health, "READY_CHECK_TIMEOUT", 0.2)
    monkeypatch.setattr(health, "_check_database", lambda: time.sleep(1))
    status, body, _ = await get("/readyz")
    assert status == 503
    assert json.loads(body)["checks"]["database"] == "timeout"
