"""A database outage answers 503 ("try again shortly"), fast, instead of a 500 or a hang.

When PostgreSQL stops answering, a request fails where it first touches the database (the
session, the user, the view), as an OperationalError or InterfaceError, a PoolTimeout among them.
`server_error` (Django's handler500) turns those into the 503 page with Retry-After (on /api/ the
API's error middleware makes it JSON). If a direct connection attempt then fails too, the database
is marked down: `DatabaseOutageMiddleware` answers 503 at once, before anything touches the
database, so a process does not pile up threads each waiting DB_POOL_TIMEOUT for a connection,
and a thread tries a connection every second; the first that succeeds ends the hold, so the
platform recovers by itself. (A pool that is only busy, the database answering, holds nobody.)
/healthz, /readyz and /metrics are answered before Django and are not held back.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

PROBE_INTERVAL_SECONDS = 1.0
PROBE_CONNECT_TIMEOUT_SECONDS = 2
RETRY_AFTER_SECONDS = 5


def database_answers() -> bool:
    """Whether the database accepts a new connection now, asked outside the pool (whose wait is
    DB_POOL_TIMEOUT long: it cannot tell a database that is down from a pool that is busy)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return True
    import psycopg

    params = connection.get_connection_params()
    params.pop("pool", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["connect_timeout"] = PROBE_CONNECT_TIMEOUT_SECONDS
    try:
        psycopg.connect(**params).close()
    except Exception:
        return False
    return True


class _OutageState:
    """Down from a failure whose probe finds the database unreachable until a probe, repeated every
    second in a thread of its own, finds it back. Meanwhile every request gets the 503 at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down = False

    def failed(self) -> None:
        """A request failed on the database: hold the others if it is really down (a busy pool, the
        database answering, holds nobody back)."""
        if self._down or database_answers():
            return
        with self._lock:
            if self._down:
                return
            self._down = True
        logger.warning("database unavailable: answering 503 until it accepts connections again")
        threading.Thread(target=self._probe_until_back, name="database-outage-probe", daemon=True).start()

    def _probe_until_back(self) -> None:
        started = time.monotonic()
        while not database_answers():
            time.sleep(PROBE_INTERVAL_SECONDS)
        with self._lock:
            self._down = False
        logger.warning("database available again after %.0f s", time.monotonic() - started)

    def is_down(self) -> bool:
        return self._down


database_outage = _OutageState()


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response() -> HttpResponse:
    # A static template: no context processor, nothing that reads the database.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503, anything else Django's 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        database_outage.failed()
        return unavailable_response()
    return django_server_error(request)


class DatabaseOutageMiddleware:
    """While the database is marked down, answer 503 before any middleware reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if database_outage.is_down():
            return unavailable_response()
        return self.get_response(request)
