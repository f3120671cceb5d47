"""The chat pane's context, shared by every page that embeds a room (teams, alliances, mentor
pairs, the showcase's negotiation thread) with frontend/teams/_chat.html and live/room.js."""

from __future__ import annotations

from alliances import permissions
from alliances.models import Room
from alliances.services.rooms import MAX_BODY_CHARS
from frontend.context_processors import page_topic_head


def room_context(request, room: Room) -> dict:
    """What the chat pane needs: the room's topic and head (the page subscribes from there), the
    people's names for presence, the limits."""
    return {
        "room": room,
        "room_topic_head": page_topic_head(request, room.topic),
        "room_is_moderator": permissions.is_room_moderator(request.user, room),
        "max_body": MAX_BODY_CHARS,
    }
