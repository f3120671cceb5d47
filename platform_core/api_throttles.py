"""DRF's rate throttles, counting in the store that survives a cache outage (throttle_store.py)."""

from __future__ import annotations

from rest_framework import throttling

from platform_core.throttle_store import throttle_store


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = throttle_store


class UserRateThrottle(throttling.UserRateThrottle):
    cache = throttle_store


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    cache = throttle_store
