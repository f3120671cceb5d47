"""Who of a room is online, across tabs and processes, in the cache (Redis in production).

Each tab's socket refreshes its own entry with a `presence` frame (on subscribing and every 25 s
with its ping); an entry not refreshed within PRESENCE_TTL_SECONDS no longer counts. So a user is
online while any of their tabs is, and a process that is killed takes its sockets' presence with
it after at most the TTL: nothing depends on a disconnect handler running.

One cache key per (room, user) holds {connection id: expiry}. Two tabs writing at the same instant
may overwrite one another's entry; the loser's next refresh puts it back within 25 s.
"""

from __future__ import annotations

import time

from django.core.cache import cache

PRESENCE_TTL_SECONDS = 60


def _key(room_id: int, user_id: int) -> str:
    return f"presence:{room_id}:{user_id}"


def _live(entries: dict | None, now: float) -> dict:
    return {conn: expiry for conn, expiry in (entries or {}).items() if expiry > now}


def presence_touch(*, room_id: int, user_id: int, connection_id: str) -> bool:
    """Mark one socket of the user present in the room. True if the user was not online before."""
    now = time.time()
    entries = _live(cache.get(_key(room_id, user_id)), now)
    was_online = bool(entries)
    entries[connection_id] = now + PRESENCE_TTL_SECONDS
    cache.set(_key(room_id, user_id), entries, timeout=PRESENCE_TTL_SECONDS)
    return not was_online


def presence_leave(*, room_id: int, user_id: int, connection_id: str) -> bool:
    """One socket leaves (the tab closes). True if the user is now offline in the room."""
    now = time.time()
    entries = _live(cache.get(_key(room_id, user_id)), now)
    if entries.pop(connection_id, None) is None:
        return False
    if entries:
        cache.set(_key(room_id, user_id), entries, timeout=PRESENCE_TTL_SECONDS)
        return False
    cache.delete(_key(room_id, user_id))
    return True


def online_among(room_id: int, user_ids: list[int]) -> list[int]:
    now = time.time()
    found = cache.get_many([_key(room_id, user_id) for user_id in user_ids])
    return [user_id for user_id in user_ids if _live(found.get(_key(room_id, user_id)), now)]
