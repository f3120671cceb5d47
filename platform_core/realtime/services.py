"""Writing live events: stored in the caller's transaction, published only after it commits.

    emit("studio:7", "studio.member_added", {...})

is called by a domain service inside its `transaction.atomic()` block. The event gets the next
sequence number of its topic (no race: the topic row is locked until commit), is stored, and is
handed to the channel layer once the transaction commits. If the transaction rolls back, nothing is
published. If publishing fails (Redis briefly away), the event is still stored, and subscribers get it
from the database on their next gap fill or reconnect: nothing accepted is lost.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction

from platform_core.shutdown import is_shutting_down

from . import groups
from .models import Event, Topic
from .registry import TOPIC_PATTERN
from .topics import user_topic

logger = logging.getLogger(__name__)


def emit(
    topic: str,
    name: str,
    data: dict | Callable[[], dict],
    *,
    revoke: Iterable[int] = (),
) -> Event:
    """Store the next event of `topic` and publish it when the surrounding transaction commits.

    `data` may be a function: it is then called once the topic is locked, so a figure it reads
    (an unread count, say) cannot be overtaken by a concurrent writer of the same topic.
    `revoke` names users whose access to the topic ends with this event (see Event.revoke).
    """
    return emit_many(topic, [(name, data, revoke)])[0]


def emit_many(
    topic: str, events: Sequence[tuple[str, dict | Callable[[], dict], Iterable[int]]]
) -> list[Event]:
    """Store several events of one topic, in order, under one lock of the topic and with one
    INSERT (a batch of chat messages); each is published after commit like emit()'s."""
    if not TOPIC_PATTERN.match(topic):
        raise ValueError(f"bad topic name {topic!r}")
    # No savepoint: a failure here fails the caller's transaction anyway (two round trips fewer).
    with transaction.atomic(savepoint=False):
        topic_id, head = _advance_topic(topic, len(events))
        rows = []
        for offset, (name, data, revoke) in enumerate(events):
            # Round-trip through JSON now, so an unserialisable payload fails here, at the call site.
            payload = json.loads(json.dumps(data() if callable(data) else data, cls=DjangoJSONEncoder))
            rows.append(
                Event(
                    topic_id=topic_id,
                    seq=head - len(events) + 1 + offset,
                    name=name,
                    data=payload,
                    revoke=sorted({int(user_id) for user_id in revoke}),
                )
            )
        stored = Event.objects.bulk_create(rows)
        publications = tuple(
            Publication(
                topic,
                {
                    "type": groups.EVENT,
                    "topic": topic,
                    "seq": event.seq,
                    "event": event.name,
                    "data": event.data,
                    "revoke": event.revoke,
                },
            )
            for event in stored
        )
        # One callback for the lot: after commit they cross to the event loop together, in order.
        transaction.on_commit(publications[0] if len(publications) == 1 else PublicationBatch(publications))
    return stored


def close_session_sockets_on_commit(user_id: int, session_key: str) -> None:
    """After commit, close the sockets of one session of the user (a logout), in every process."""
    message = {"type": groups.CLOSE_SESSION, "user_id": user_id, "session_key": session_key}
    transaction.on_commit(Publication(user_topic(user_id), message))


def recheck_user_on_commit(user_id: int) -> None:
    """After commit, make every process check the user's sockets again: a socket whose session is
    no longer valid (password changed, account disabled or deleted) is closed, and subscriptions
    the user may no longer see end. Every process also does this for all its sockets every
    REALTIME_GROUP_REFRESH_SECONDS, which catches changes no signal announces."""
    message = {"type": groups.RECHECK_USER, "user_id": user_id}
    transaction.on_commit(Publication(user_topic(user_id), message))


async def publish_ephemeral(topic: str, name: str, data: dict, *, sender: str = "") -> None:
    """Publish a frame that is not stored and has no seq (typing, presence)."""
    message = {"type": groups.EPHEMERAL, "topic": topic, "event": name, "data": data, "sender": sender}
    await get_channel_layer().group_send(groups.group_for_topic(topic), message)


def _advance_topic(name: str, count: int) -> tuple[int, int]:
    """Take the next `count` seqs of a topic: (topic id, its new head). The UPDATE locks the row
    until the transaction ends, so two writers of one topic never get the same seq or skip one;
    a topic's first event creates its row."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Topic._meta.db_table} SET head = head + %s WHERE name = %s RETURNING id, head",  # noqa: S608
            [count, name],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0], row[1]
    topic = _lock_topic(name)
    topic.head += count
    topic.save(update_fields=["head"])
    return topic.pk, topic.head


def _lock_topic(name: str) -> Topic:
    # Lock the topic row: two writers in one topic must not get the same seq.
    try:
        return Topic.objects.select_for_update().get(name=name)
    except Topic.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            # A row we insert stays locked to others until our transaction ends.
            return Topic.objects.create(name=name)
    except IntegrityError:
        # Another writer created it first; wait for its lock like any other writer.
        return Topic.objects.select_for_update().get(name=name)


@dataclass(frozen=True)
class Publication:
    """One channel-layer message, sent to the group of `topic` when called (after commit).

    The on-commit callbacks emit() and friends register are Publications (or a PublicationBatch
    of them), so a test can read what a service published from the captured callbacks
    (platform_core.realtime.testing).
    """

    topic: str
    message: dict[str, Any]

    @property
    def parts(self) -> tuple[Publication, ...]:
        return (self,)

    def __call__(self) -> None:
        send_publications(self.parts)


@dataclass(frozen=True)
class PublicationBatch:
    """Several Publications registered as one on-commit callback (the events of emit_many)."""

    parts: tuple[Publication, ...]

    def __call__(self) -> None:
        send_publications(self.parts)


def send_publications(publications: Sequence[Publication]) -> None:
    """Publish, in order, in one crossing to the event loop (from a database thread) or to a
    fresh loop (from a thread without one, such as a management command)."""
    if is_shutting_down():
        # The loop that would carry them is stopping (platform_core/shutdown.py); the events are
        # stored, and clients get them by replay when they reconnect.
        return
    # When it was published, so each hub can measure the delivery lag (platform_core/metrics.py).
    published = time.time()
    messages = [(p.topic, {**p.message, "published": published}) for p in publications]
    try:
        async_to_sync(_publish_all)(messages)
    except Exception:
        # The events are stored; live clients recover them from the database (gap fill, reconnect).
        logger.exception("could not publish %d message(s) to %s", len(messages), messages[0][0])


async def _publish_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Hand the messages to this process's own sockets first, then to the channel layer for the
    other processes, in order.

    In a process serving sockets (one with a hub), the events are written to the local sockets
    now; the copies for the other processes go to the hub's outbox, which sends them to the
    channel layer in the same order without holding up the caller (a database thread waiting to
    answer a batch of chat sends), the consecutive events of one topic as one message. The hub
    that delivered an event skips its own copy when it comes back (`origin`), so an event is
    neither serialised nor read twice here. Elsewhere (a management command) they are sent now.
    """
    from .hub import current_hub

    hub = current_hub()
    layer = get_channel_layer()
    if hub is None:
        for topic, message in messages:
            await layer.group_send(groups.group_for_topic(topic), message)
        return
    outgoing: list[tuple[str, dict[str, Any]]] = []
    for topic, message in messages:
        if message["type"] != groups.EVENT:
            outgoing.append((topic, message))
            continue
        origin = await hub.deliver_local(message)
        last = outgoing[-1] if outgoing else None
        if last is not None and last[0] == topic and last[1]["type"] == groups.EVENTS:
            last[1]["events"].append(message)
        else:
            outgoing.append((topic, {"type": groups.EVENTS, "origin": origin, "events": [message]}))
    for topic, message in outgoing:
        if message["type"] == groups.EVENTS and len(message["events"]) == 1:
            message = {**message["events"][0], "origin": message["origin"]}
        hub.publish_remote(groups.group_for_topic(topic), message)
