"""Rooms and chat: opening a room, its explicit members, sending, editing and deleting messages,
read markers and attachments. Every write is checked here, whatever the front door (a websocket
frame, the API, a page).

Another app opens a private room with `room_create(title=…, members=[a, b])` and keeps the room's
id on its own model; it adds or removes people with `room_member_add` / `room_member_remove`
(the latter ends their live access at once). Alliances never needs to know that app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.notifications.services import notify, verbatim
from platform_core.realtime.services import emit, emit_many
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


def _mention_names(body: str) -> set[str]:
    return set(_MENTION.findall(body))


@dataclass
class Send:
    """One `message.send`: who sends what (validated by messages_send)."""

    actor: Any
    client_id: object
    body: object
    reply_to: object = None
    attachment_ids: Sequence[int] = ()


# What messages_send answers for each send: (message, created), or the error to answer with.
SendResult = tuple[Message, bool] | Exception


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
    send = Send(actor, client_id, body, reply_to, list(attachment_ids))
    result = messages_send(room_id=room_id, sends=[send])[0]
    if isinstance(result, Exception):
        raise result
    return result


def _validated(send: Send) -> tuple[str, str]:
    client_key = _clean_client_id(send.client_id)
    text = _clean_body(send.body)
    if not text and not send.attachment_ids:
        raise ValidationError(_("A message needs some text."))
    if len(send.attachment_ids) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationError(_("Too many attachments on one message."))
    if send.reply_to is not None and (not isinstance(send.reply_to, int) or isinstance(send.reply_to, bool)):
        raise ValidationError(_("reply_to must be the id of a message in this room."))
    return client_key, text


def messages_send(*, room_id: int, sends: Sequence[Send]) -> list[SendResult]:
    """Store several messages sent to one room at about the same time, in order, in one
    transaction: one lock of the room, one membership query for all the senders, one INSERT, one
    event INSERT (group commit; docs/performance.md, "Chat"). Each send gets its own answer, in
    the order given: (message, created), or the error that refuses it alone. Every rule of a
    single send holds for each: membership checked under the room's lock, seq without gaps, the
    same client_id answered with the first message, everything committed before returning."""
    results: list[SendResult | None] = [None] * len(sends)
    valid: list[tuple[int, Send, str, str]] = []
    for index, send in enumerate(sends):
        try:
            client_key, text = _validated(send)
        except ValidationError as error:
            results[index] = error
            continue
        valid.append((index, send, client_key, text))
    if not valid:
        return results  # type: ignore[return-value]
    try:
        with transaction.atomic():
            _store_batch(room_id, valid, results)
    except IntegrityError:
        if len(valid) == 1:
            index, send, client_key, _text = valid[0]
            existing = Message.objects.filter(sender=send.actor, client_id=client_key).first()
            if existing is None:
                raise
            results[index] = (
                (existing, False)
                if existing.room_id == room_id
                else ValidationError(_("This client_id was already used for a message in another room."))
            )
        else:
            # Another process stored one of these client_ids in another room at this very moment:
            # each send on its own sorts out which one it was.
            for index, send, _key, _text in valid:
                results[index] = messages_send(room_id=room_id, sends=[send])[0]
    except (ObjectDoesNotExist, PermissionDenied, ValidationError) as error:
        # About the room itself (no such room): every send of the batch gets it.
        for index, _send, _key, _text in valid:
            results[index] = error
    return results  # type: ignore[return-value]


def _store_batch(room_id: int, valid: list[tuple[int, Send, str, str]], results: list) -> None:
    # Read without a lock: the seqs are taken below, by one UPDATE that locks the row (a send
    # checks membership as it always did, before its number is allocated).
    room = Room.objects.select_related("team", "alliance").get(pk=room_id)
    read_only = room.team is not None and not room.team.is_open
    members = permissions.room_members_among(room, [send.actor for _i, send, _k, _t in valid])
    earlier = {
        (message.sender_id, message.client_id): message
        for message in Message.objects.filter(
            sender_id__in={send.actor.pk for _i, send, _k, _t in valid},
            client_id__in={client_key for _i, _s, client_key, _t in valid},
        ).select_related("sender")
    }
    reply_ids = {cast(int, send.reply_to) for _i, send, _k, _t in valid if send.reply_to is not None}
    replies = (
        Message.objects.filter(room=room, pk__in=reply_ids, deleted_at__isnull=True)
        .select_related("sender")
        .in_bulk()
        if reply_ids
        else {}
    )
    accepted: list[tuple[int, Send, Message, list]] = []
    first_of: dict[tuple[int, str], int] = {}
    for index, send, client_key, text in valid:
        actor = send.actor
        key = (actor.pk, client_key)
        if actor.pk not in members:
            results[index] = PermissionDenied(_("Only the room's members may write in it."))
            continue
        if read_only:
            results[index] = ValidationError(_("The team is archived; its room is read-only."))
            continue
        if key in earlier:
            existing = earlier[key]
            results[index] = (
                (existing, False)
                if existing.room_id == room.pk
                else ValidationError(_("This client_id was already used for a message in another room."))
            )
            continue
        if key in first_of:
            continue  # sent twice in this batch: answered with the first below
        reply = None
        if send.reply_to is not None:
            reply = replies.get(send.reply_to)
            if reply is None:
                results[index] = ValidationError(_("reply_to must be the id of a message in this room."))
                continue
        attachments: list[Attachment] = []
        if send.attachment_ids:
            attachments = list(
                Attachment.objects.select_for_update().filter(
                    pk__in=send.attachment_ids, room=room, uploader=actor, message__isnull=True
                )
            )
            if len(attachments) != len(set(send.attachment_ids)):
                results[index] = ValidationError(
                    _("Attach only files you uploaded to this room and not yet sent.")
                )
                continue
        message = Message(
            room=room,
            seq=0,  # numbered below, once the room's row is locked
            sender=actor,
            client_id=client_key,
            body=text,
            html=render_markdown(text),
            reply_to=reply,
        )
        first_of[key] = index
        accepted.append((index, send, message, attachments))
    if not accepted:
        return
    room.last_seq = _take_seqs(room, len(accepted))
    for offset, (_index, _send, message, _attachments) in enumerate(accepted):
        message.seq = room.last_seq - len(accepted) + 1 + offset
    Message.objects.bulk_create([message for _i, _s, message, _a in accepted])
    mentioned = _mentions(room, [(send.actor, message) for _i, send, message, _a in accepted])
    for _index, _send, message, attachments in accepted:
        if attachments:
            Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(message=message)
            for attachment in attachments:
                attachment.message = message
    # Each sender has read their own messages.
    last_read: dict[int, int] = {}
    for _index, send, message, _a in accepted:
        last_read[send.actor.pk] = message.seq
    RoomMember.objects.bulk_create(
        [RoomMember(room=room, user_id=user_id, last_read_seq=seq) for user_id, seq in last_read.items()],
        update_conflicts=True,
        unique_fields=["room", "user"],
        update_fields=["last_read_seq"],
    )
    emit_many(
        room.topic,
        [
            (
                events.MESSAGE_CREATED,
                events.message_payload(message, mentions=mentioned[message.seq], attachments=attachments),
                (),
            )
            for _index, _send, message, attachments in accepted
        ],
    )
    for index, send, message, _attachments in accepted:
        results[index] = (message, True)
        people = mentioned[message.seq]
        if people:
            actor, text = send.actor, message.body
            notify(
                people,
                kind=events.MENTIONED,
                title=lambda: _("%(name)s mentioned you in %(room)s") % {"name": actor, "room": room.title},  # noqa: B023
                body=verbatim(text[:200]),
                url=room_url(room),
            )
    # A client_id sent twice in one batch: the second gets the first's answer.
    for index, send, client_key, _text in valid:
        if results[index] is None:
            results[index] = (results[first_of[(send.actor.pk, client_key)]][0], False)


def _take_seqs(room: Room, count: int) -> int:
    """The room's next `count` message numbers: returns the last. The UPDATE locks the room's
    row until the transaction ends, so two batches never take the same numbers or skip one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Room._meta.db_table} SET last_seq = last_seq + %s WHERE id = %s RETURNING last_seq",  # noqa: S608
            [count, room.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist(_("No such room."))
    return row[0]


def _mentions(room: Room, sent: list[tuple[Any, Message]]) -> dict[int, list]:
    """Who each message mentions (by seq): @usernames of the room's members, the sender excepted,
    found for the whole batch with two queries, or none when no message names anyone."""
    names = {message.seq: _mention_names(message.body) for _actor, message in sent}
    found: dict[int, list] = {message.seq: [] for _actor, message in sent}
    wanted = set().union(*names.values())
    if not wanted:
        return found
    candidates = list(get_user_model().objects.filter(username__in=wanted, is_active=True))
    members = permissions.room_members_among(room, candidates)
    by_name = {user.username: user for user in candidates if user.pk in members}
    through = Message.mentions.through
    rows = []
    for actor, message in sent:
        people = [
            by_name[name]
            for name in sorted(names[message.seq])
            if name in by_name and by_name[name].pk != actor.pk
        ]
        found[message.seq] = people
        rows += [through(message_id=message.pk, user_id=user.pk) for user in people]
    through.objects.bulk_create(rows)
    return found


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
