"""The room:<id> topic kind: only the room's members may follow it. Its client frames (sending,
editing, deleting, read markers, presence) are in frames.py; `typing` is the core's own."""

from __future__ import annotations

from platform_core.realtime.registry import TopicForbidden, TopicNotFound, int_key, register_topic_kind

from . import permissions
from .models import Room


def authorize_room_topic(user, key: str) -> None:
    room = Room.objects.select_related("team", "alliance__coordinator").filter(pk=int_key(key)).first()
    if room is None:
        raise TopicNotFound("no such room")
    if not permissions.is_room_member(user, room):
        raise TopicForbidden("only the room's members may follow it live")


register_topic_kind("room", authorize=authorize_room_topic, allow_typing=True)
