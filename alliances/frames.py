"""The chat's client frames on room:<id>, registered with the realtime core. Each handler parses
the frame, calls one service (which checks membership and holds every rule) and answers; the
consumer has already checked that the socket follows the room. Protocol: docs/alliances.md."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from platform_core.realtime.dbthreads import db_async
from platform_core.realtime.frames import FrameError
from platform_core.realtime.registry import FrameContext, register_frame_handler
from platform_core.realtime.services import publish_ephemeral

from . import permissions, selectors, sending
from .models import Room
from .services import presence, rooms

ROOM_KINDS = ["room"]


async def handle_message_send(frame: dict, context: FrameContext) -> None:
    attachments = frame.get("attachments") or []
    if not isinstance(attachments, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in attachments
    ):
        raise FrameError("invalid", "attachments must be a list of attachment ids")
    try:
        # Stored with whatever else this process is sending to the room now (group commit).
        message, _created = await sending.send_message(
            int(context.key),
            rooms.Send(
                actor=context.user,
                client_id=context.client_id,
                body=frame.get("body"),
                reply_to=frame.get("reply_to"),
                attachment_ids=attachments,
            ),
        )
    except rooms.MessageTooLong as error:
        raise FrameError("too_large", "; ".join(error.messages)) from error
    # A retry gets the very same ack: the same id and seq.
    await context.ack(id=message.pk, seq=message.seq)


async def handle_message_edit(frame: dict, context: FrameContext) -> None:
    try:
        message = await db_async(rooms.message_edit)(
            actor=context.user, room_id=int(context.key), message_id=frame.get("id"), body=frame.get("body")
        )
    except rooms.MessageTooLong as error:
        raise FrameError("too_large", "; ".join(error.messages)) from error
    await context.ack(id=message.pk, seq=message.seq)


async def handle_message_delete(frame: dict, context: FrameContext) -> None:
    message = await db_async(rooms.message_delete)(
        actor=context.user, room_id=int(context.key), message_id=frame.get("id")
    )
    await context.ack(id=message.pk, seq=message.seq)


async def handle_read(frame: dict, context: FrameContext) -> None:
    marker = await db_async(rooms.read_mark)(
        actor=context.user, room_id=int(context.key), seq=frame.get("seq")
    )
    await context.ack(last_read_seq=marker.last_read_seq)


def _presence_update(room_id: int, user, connection_id: str, state: str) -> tuple[bool, list[dict]]:
    room = Room.objects.select_related("team", "alliance").get(pk=room_id)
    if not permissions.is_room_member(user, room):
        # Subscribed earlier, removed since (the revoke is on its way): tell nothing more.
        raise FrameError("forbidden", "only the room's members see who is online")
    if state == "online":
        changed = presence.presence_touch(room_id=room_id, user_id=user.pk, connection_id=connection_id)
    else:
        changed = presence.presence_leave(room_id=room_id, user_id=user.pk, connection_id=connection_id)
    online = presence.online_among(room.pk, selectors.room_member_ids(room))
    people = get_user_model().objects.filter(pk__in=online).order_by("pk")
    return changed, [{"id": person.pk, "name": str(person)} for person in people]


async def handle_presence(frame: dict, context: FrameContext) -> None:
    """{"state": "online"} on subscribing and every 25 s; {"state": "offline"} when the tab goes.
    Answered with who is online; the room hears `presence` when someone comes or goes."""
    state = frame.get("state", "online")
    if state not in ("online", "offline"):
        raise FrameError("invalid", "state must be 'online' or 'offline'")
    changed, online = await db_async(_presence_update)(
        int(context.key), context.user, context.connection_id, state
    )
    if changed:
        await publish_ephemeral(context.topic, "presence", {"online": online}, sender=context.connection_id)
    await context.ack(online=online)


register_frame_handler("message.send", handle_message_send, topic_kinds=ROOM_KINDS)
register_frame_handler("message.edit", handle_message_edit, topic_kinds=ROOM_KINDS)
register_frame_handler("message.delete", handle_message_delete, topic_kinds=ROOM_KINDS)
register_frame_handler("read", handle_read, topic_kinds=ROOM_KINDS)
register_frame_handler("presence", handle_presence, topic_kinds=ROOM_KINDS)
