"""Rooms and chat: opening a room, its explicit members, sending, editing and deleting messages,
read markers and attachments. Every write is checked here, whatever the front door (a websocket
frame, the API, a page).

Another app opens a private room with `room_create(title=…, members=[a, b])` and keeps the room's
id on its own model; it adds or removes people with `room_member_add` / `room_member_remove`
(the latter ends their live access at once). Alliances never needs to know that app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.notifications.services import notify, verbatim
from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text
from platform_core.uploads import CHAT_ATTACHMENT

from .. import events, permissions
from ..markdown import render_markdown
from ..models import Alliance, Attachment, Message, Room, RoomMember, Team
from ..selectors import unread_total
from .common import require

MAX_BODY_CHARS = 10_000
MAX_ATTACHMENTS_PER_MESSAGE = 10
# @username (ASCII usernames, as accounts allow); resolved against the room's members only.
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


class MessageTooLong(ValidationError):
    """A body over MAX_BODY_CHARS: the websocket answers it with `too_large`."""


def room_url(room: Room) -> str:
    return f"/rooms/{room.pk}/"


# Opening rooms and their members ---------------------------------------------------------------


def room_for_team(team: Team) -> Room:
    """The team's room, made on first use (teams made before rooms existed have none)."""
    room, _created = Room.objects.get_or_create(
        team=team, defaults={"kind": Room.Kind.TEAM, "title": team.name}
    )
    return room


def room_for_alliance(alliance: Alliance) -> Room:
    room, _created = Room.objects.get_or_create(
        alliance=alliance, defaults={"kind": Room.Kind.ALLIANCE, "title": alliance.name}
    )
    return room


def room_create(*, title: str, members: Iterable) -> Room:
    """Open a private room for the given people (another app's two-party thread, say). The caller
    decides who belongs; the room only remembers it."""
    people = {user.pk: user for user in members}
    if not people:
        raise ValidationError(_("A room needs at least one member."))
    with transaction.atomic():
        room = Room.objects.create(kind=Room.Kind.PRIVATE, title=clean_line(title, max_length=200) or "—")
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user=user, is_member=True) for user in people.values()]
        )
    return room


def room_member_add(*, room: Room, user) -> None:
    if room.kind != Room.Kind.PRIVATE:
        raise ValidationError(_("A team or alliance room follows its team or alliance."))
    with transaction.atomic():
        RoomMember.objects.update_or_create(room=room, user=user, defaults={"is_member": True})
        emit(room.topic, events.ROOM_MEMBER_ADDED, {"user": events.person(user)})


def room_member_remove(*, room: Room, user) -> None:
    """End a person's access to a private room: their open tabs stop receiving at once."""
    if room.kind != Room.Kind.PRIVATE:
        raise ValidationError(_("A team or alliance room follows its team or alliance."))
    with transaction.atomic():
        RoomMember.objects.filter(room=room, user=user).update(is_member=False)
        announce_removal(room, [user])


def announce_removal(room: Room, users: Iterable) -> None:
    """Inside the transaction that took access away: the event names whose access ends, so every
    delivery path stops at it (docs/realtime.md, "Membership changes")."""
    for user in users:
        emit(room.topic, events.ROOM_MEMBER_REMOVED, {"user": events.person(user)}, revoke=[user.pk])


# Messages -------------------------------------------------------------------------------------


def _locked_room(room_id: int) -> Room:
    # Lock the room row: two senders in one room must not take the same message number.
    return Room.objects.select_for_update(of=("self",)).select_related("team", "alliance").get(pk=room_id)


def _check_writable(actor, room: Room) -> None:
    require(permissions.is_room_member(actor, room), _("Only the room's members may write in it."))
    if room.team is not None and not room.team.is_open:
        raise ValidationError(_("The team is archived; its room is read-only."))


def _clean_body(body: object) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("A message needs some text."))
    if len(body) > MAX_BODY_CHARS:
        raise MessageTooLong(
            _("A message may hold at most %(count)d characters.") % {"count": MAX_BODY_CHARS}
        )
    return clean_plain_text(body)


def _clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str | int) or isinstance(client_id, bool) or not str(client_id).strip():
        raise ValidationError(_("A message needs a client_id (the sender's own id for it)."))
    value = str(client_id)
    if len(value) > 64:
        raise ValidationError(_("A client_id has at most 64 characters."))
    return value


def _mentioned_members(room: Room, body: str, actor) -> list:
    names = {match for match in _MENTION.findall(body)}
    if not names:
        return []
    candidates = get_user_model().objects.filter(username__in=names, is_active=True).exclude(pk=actor.pk)
    return [user for user in candidates if permissions.is_room_member(user, room)]


def message_send(
    *,
    actor,
    room_id: int,
    client_id: object,
    body: object,
    reply_to: object = None,
    attachment_ids: Iterable[int] = (),
) -> tuple[Message, bool]:
    """Store a message and publish `message.created` on commit. Returns (message, created): the
    same client_id sent again (a retry after a lost ack) returns the first message and creates
    nothing, which the unique constraint (sender, client_id) guarantees even for two concurrent
    retries."""
    client_key = _clean_client_id(client_id)
    text = _clean_body(body)
    attachment_ids = list(attachment_ids)
    if not text and not attachment_ids:
        raise ValidationError(_("A message needs some text."))
    if len(attachment_ids) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationError(_("Too many attachments on one message."))
    with transaction.atomic():
        room = _locked_room(room_id)
        _check_writable(actor, room)
        reply = None
        if reply_to is not None:
            if not isinstance(reply_to, int) or isinstance(reply_to, bool):
                raise ValidationError(_("reply_to must be the id of a message in this room."))
            reply = Message.objects.filter(room=room, pk=reply_to, deleted_at__isnull=True).first()
            if reply is None:
                raise ValidationError(_("reply_to must be the id of a message in this room."))
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    room=room,
                    seq=room.last_seq + 1,
                    sender=actor,
                    client_id=client_key,
                    body=text,
                    html=render_markdown(text),
                    reply_to=reply,
                )
        except IntegrityError:
            # The same client_id again: the first send committed. Answer with it, create nothing.
            existing = (
                Message.objects.filter(sender=actor, client_id=client_key).select_related("room").first()
            )
            if existing is None:
                raise
            if existing.room_id != room.pk:
                raise ValidationError(
                    _("This client_id was already used for a message in another room.")
                ) from None
            return existing, False
        room.last_seq = message.seq
        room.save(update_fields=["last_seq"])
        if attachment_ids:
            attached = Attachment.objects.filter(
                pk__in=attachment_ids, room=room, uploader=actor, message__isnull=True
            ).update(message=message)
            if attached != len(set(attachment_ids)):
                raise ValidationError(_("Attach only files you uploaded to this room and not yet sent."))
        mentioned = _mentioned_members(room, text, actor)
        message.mentions.set(mentioned)
        # The sender has read their own message.
        RoomMember.objects.update_or_create(room=room, user=actor, defaults={"last_read_seq": message.seq})
        emit(room.topic, events.MESSAGE_CREATED, events.message_payload(message))
        notify(
            mentioned,
            kind=events.MENTIONED,
            title=lambda: _("%(name)s mentioned you in %(room)s") % {"name": actor, "room": room.title},
            body=verbatim(text[:200]),
            url=room_url(room),
        )
    return message, True


def _own_message(actor, room_id: int, message_id: object) -> tuple[Room, Message]:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ValidationError(_("id must be a message id."))
    room = _locked_room(room_id)
    require(permissions.is_room_member(actor, room), _("Only the room's members may write in it."))
    try:
        message = Message.objects.select_for_update().get(room=room, pk=message_id)
    except Message.DoesNotExist:
        raise ObjectDoesNotExist(_("No such message in this room.")) from None
    if message.is_deleted:
        raise ValidationError(_("This message was deleted."))
    return room, message


def message_edit(*, actor, room_id: int, message_id: object, body: object) -> Message:
    text = _clean_body(body)
    if not text:
        raise ValidationError(_("A message needs some text."))
    with transaction.atomic():
        room, message = _own_message(actor, room_id, message_id)
        _check_writable(actor, room)
        require(message.sender_id == actor.pk, _("Only its author may edit a message."))
        message.body = text
        message.html = render_markdown(text)
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "html", "edited_at"])
        emit(room.topic, events.MESSAGE_EDITED, events.message_edited(message))
    return message


def message_delete(*, actor, room_id: int, message_id: object) -> Message:
    """By its author, or by the room's lead (recorded in the audit trail). The text and the files
    go; the message stays as a "deleted" line so replies and history keep their places."""
    with transaction.atomic():
        room, message = _own_message(actor, room_id, message_id)
        by_author = message.sender_id == actor.pk
        require(
            by_author or permissions.is_room_moderator(actor, room),
            _("Only its author or the room's lead may delete a message."),
        )
        message.body = ""
        message.html = ""
        message.deleted_at = timezone.now()
        message.save(update_fields=["body", "html", "deleted_at"])
        for attachment in message.attachments.all():
            attachment.file.delete(save=False)
            attachment.delete()
        if not by_author:
            audit_record(
                actor=actor,
                action=events.MESSAGE_DELETED_BY_MODERATOR,
                target=room,
                data={"message_id": message.pk, "sender_id": message.sender_id},
            )
        emit(room.topic, events.MESSAGE_DELETED, events.message_deleted(message))
    return message


# Read markers ---------------------------------------------------------------------------------


def unread_in(room: Room, user, last_read_seq: int) -> int:
    return (
        Message.objects.filter(room=room, seq__gt=last_read_seq, deleted_at__isnull=True)
        .exclude(sender=user)
        .count()
    )


def read_mark(*, actor, room_id: int, seq: object) -> RoomMember:
    """Move the reader's marker forward to message number `seq` (never back); every tab of the
    reader hears it on their user topic and updates its badges."""
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValidationError(_("seq must be a message number."))
    room = Room.objects.select_related("team", "alliance").get(pk=room_id)
    require(permissions.is_room_member(actor, room), _("Only the room's members may read it."))
    with transaction.atomic():
        marker, _created = RoomMember.objects.select_for_update().get_or_create(room=room, user=actor)
        head = Message.objects.filter(room=room).aggregate(head=Max("seq"))["head"] or 0
        target = min(seq, head)
        if target > marker.last_read_seq:
            marker.last_read_seq = target
            marker.save(update_fields=["last_read_seq"])
            emit(
                f"user:{actor.pk}",
                events.ROOM_READ,
                lambda: events.room_read(
                    room.pk,
                    marker.last_read_seq,
                    unread_in(room, actor, marker.last_read_seq),
                    unread_total(actor),
                ),
            )
    return marker


# Attachments ----------------------------------------------------------------------------------


def attachment_upload(*, actor, room: Room, upload) -> Attachment:
    """A file for a message to come: stored privately, sent with `attachments: [id]`."""
    require(permissions.is_room_member(actor, room), _("Only the room's members may upload files to it."))
    name = CHAT_ATTACHMENT.admit(upload)
    attachment = Attachment(room=room, uploader=actor, name=name, size=upload.size)
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
