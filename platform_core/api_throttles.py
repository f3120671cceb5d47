"""DRF's rate throttles, counting in the store that survives a cache outage (throttle_store.py).

The store is not a Django cache, but it has the two methods the throttles call (get and set)."""

from __future__ import annotations

from rest_framework import throttling

from platform_core.throttle_store import throttle_store


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = throttle_store  # type: ignore[assignment]


class UserRateThrottle(throttling.UserRateThrottle):
    cache = throttle_store  # type: ignore[assignment]


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    cache = throttle_store  # type: ignore[assignment]
