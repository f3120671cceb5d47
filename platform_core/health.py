"""Health and metrics answers for the proxy and the operator's monitoring, in front of Django.

- `GET /healthz`: the process is alive and its event loop answers. It touches neither the session,
  nor the database, nor Redis, so a load balancer's check every second costs nothing and a database
  outage does not make every process look dead at once (which would take the whole site down
  instead of showing its own 503 pages).
- `GET /readyz`: the process can serve: PostgreSQL (or SQLite) answers `SELECT 1` and, when
  REDIS_URL is set, Redis answers PING, each within READY_CHECK_TIMEOUT seconds. 200 with what was
  checked, or 503 naming what failed: the proxy takes the process out of rotation until it recovers.

- `GET /metrics`: this process's Prometheus metrics (platform_core/metrics.py), for a scraper with
  the token or from an allowed address; 404 while the operator has opened it to nobody.

They are answered here, as ASGI, before Django's middleware: no session is loaded, no redirect to
HTTPS (the proxy asks over plain HTTP on the host), no language negotiation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from platform_core import metrics

logger = logging.getLogger(__name__)

READY_CHECK_TIMEOUT = 3.0


def _check_database() -> None:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # Hand the connection back (to the pool, or closed): this thread is not a request's.
        connection.close()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


async def _probe(name: str, check) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(sync_to_async(check, thread_sensitive=False)(), READY_CHECK_TIMEOUT)
    except TimeoutError:
        return name, "timeout"
    except Exception as exc:  # any failure to answer is "not ready"; say which kind
        return name, type(exc).__name__
    return name, None


async def readiness() -> tuple[int, dict]:
    """(status, body) of /readyz."""
    started = time.monotonic()
    checks = [_probe("database", _check_database)]
    if settings.REDIS_URL:
        checks.append(_probe("redis", _check_redis))
    results = dict(await asyncio.gather(*checks))
    failed = {name: error for name, error in results.items() if error}
    body = {
        "status": "unavailable" if failed else "ready",
        "checks": {name: error or "ok" for name, error in results.items()},
        "seconds": round(time.monotonic() - started, 3),
    }
    if failed:
        logger.warning("not ready: %s", failed)
    return (503 if failed else 200), body


async def _answer(scope, send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def _metrics(scope, receive, send, application):
    client = scope.get("client")
    allowed = metrics.scrape_allowed(
        client[0] if client else None,
        _header(scope, b"authorization"),
        proxied=_header(scope, b"x-forwarded-for") is not None,
    )
    if allowed is None:
        # Off: the path is an ordinary unknown page.
        return await application(scope, receive, send)
    if not allowed:
        return await _answer(scope, send, 403, b"forbidden", b"text/plain; charset=utf-8")
    content_type, body = await sync_to_async(metrics.exposition, thread_sensitive=False)()
    return await _answer(scope, send, 200, body, content_type)


class HealthEndpoints:
    """ASGI middleware answering /healthz, /readyz and /metrics; the rest goes on to `application`."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        path = scope.get("path") if scope["type"] == "http" else None
        if path not in {"/healthz", "/readyz", "/metrics"}:
            return await self.application(scope, receive, send)
        if scope["method"] not in {"GET", "HEAD"}:
            return await _answer(scope, send, 405, b"GET only", b"text/plain; charset=utf-8")
        if path == "/healthz":
            return await _answer(scope, send, 200, b"ok", b"text/plain; charset=utf-8")
        if path == "/metrics":
            return await _metrics(scope, receive, send, self.application)
        status, body = await readiness()
        return await _answer(scope, send, status, json.dumps(body).encode(), b"application/json")
