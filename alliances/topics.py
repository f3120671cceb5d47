"""The room:<id> topic kind: only the room's members may follow it. Its client frames (sending,
editing, deleting, read markers, presence) are in frames.py; `typing` is the core's own."""

from __future__ import annotations

from platform_core.realtime.registry import TopicNotFound, int_key, register_topic_kind

from . import permissions
from .models import Room


def authorize_room_topic(user, key: str) -> None:
    # Someone else's room answers as a missing one, on the socket and on the events API alike:
    # a room's existence is private (the pages and the room API answer the same 404).
    if not Room.objects.filter(permissions.rooms_of_filter(user), pk=int_key(key)).exists():
        raise TopicNotFound("no such room")


register_topic_kind("room", authorize=authorize_room_topic, allow_typing=True)
