"""A database outage answers 503 ("try again shortly"), fast, instead of a 500 or a hang.

When PostgreSQL stops answering, a request fails where it first touches the database (the
session, the user, the view), as an OperationalError or InterfaceError, a PoolTimeout among them.
`server_error` (Django's handler500) turns those into the 503 page with Retry-After (on /api/ the
API's error middleware makes it JSON), and marks the database down for
DATABASE_OUTAGE_HOLD_SECONDS: meanwhile `DatabaseOutageMiddleware` answers 503 at once, before
anything touches the database, so a process does not pile up threads each waiting for a
connection. The first request after the hold tries the database again: the platform recovers by
itself. /healthz, /readyz and /metrics are answered before Django and are not held back.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

DATABASE_OUTAGE_HOLD_SECONDS = 2.0
RETRY_AFTER_SECONDS = 5


class _OutageState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until = 0.0

    def mark_down(self) -> None:
        with self._lock:
            first = self._down_until < time.monotonic()
            self._down_until = time.monotonic() + DATABASE_OUTAGE_HOLD_SECONDS
        if first:
            logger.warning("database unavailable: answering 503 for %.0f s", DATABASE_OUTAGE_HOLD_SECONDS)

    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def clear(self) -> None:
        with self._lock:
            self._down_until = 0.0


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
        database_outage.mark_down()
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
