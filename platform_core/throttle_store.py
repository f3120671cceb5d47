"""The store behind every brake (login failures, API rate limits): the shared cache, or this
process's memory while the shared cache is unreachable.

The brakes count in the default cache (Redis in production) so that every process sees the same
counts. When Redis is down, a brake that raised would turn every login into a 500, and one that let
everything through would invite guessing during the outage; instead each process counts on its own
until Redis answers again (docs/deployment.md). The counts of the two stores are not merged: an
outage starts every count afresh, at worst LOGIN_MAX_FAILURES attempts per process.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# While the shared cache is failing, warn at most this often rather than at every request.
WARNING_INTERVAL_SECONDS = 60


class ThrottleStore:
    """The few cache operations the brakes use, each falling back to process memory on error."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.local = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 20000}})
        self._last_warning = 0.0

    def _fall_back(self, error: Exception) -> LocMemCache:
        now = time.monotonic()
        if now - self._last_warning > WARNING_INTERVAL_SECONDS:
            self._last_warning = now
            logger.warning("Cache unreachable (%s); brakes count in process memory for now.", error)
        return self.local

    # Any error: each cache backend raises its own client's exceptions when its server is away
    # (redis.ConnectionError, TimeoutError, …), and none of them may turn a login into a 500.
    def get(self, key: str, default: Any = None) -> Any:
        try:
            return caches[self.alias].get(key, default)
        except Exception as error:
            return self._fall_back(error).get(key, default)

    def set(self, key: str, value: Any, timeout: float) -> None:
        try:
            caches[self.alias].set(key, value, timeout)
        except Exception as error:
            self._fall_back(error).set(key, value, timeout)

    def increment(self, key: str, timeout: float) -> int:
        """Add one to a counter that expires `timeout` seconds after its first increment."""
        try:
            return self._increment(caches[self.alias], key, timeout)
        except Exception as error:
            return self._increment(self._fall_back(error), key, timeout)

    @staticmethod
    def _increment(cache, key: str, timeout: float) -> int:
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
            return 1


throttle_store = ThrottleStore()
