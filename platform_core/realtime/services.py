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
from django.db import IntegrityError, transaction

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
    with transaction.atomic():
        topic_row = _lock_topic(topic)
        rows = []
        for name, data, revoke in events:
            # Round-trip through JSON now, so an unserialisable payload fails here, at the call site.
            payload = json.loads(json.dumps(data() if callable(data) else data, cls=DjangoJSONEncoder))
            topic_row.head += 1
            rows.append(
                Event(
                    topic=topic_row,
                    seq=topic_row.head,
                    name=name,
                    data=payload,
                    revoke=sorted({int(user_id) for user_id in revoke}),
                )
            )
        topic_row.save(update_fields=["head"])
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
    for topic, message in messages:
        await _publish(topic, message)


async def _publish(topic: str, message: dict[str, Any]) -> None:
    """Hand a message to this process's own sockets first, then to the channel layer for the
    other processes. The hub that delivered it locally skips its own copy when it comes back
    from the channel layer (`origin`), so an event is neither serialised nor read twice here."""
    from .hub import current_hub

    hub = current_hub()
    if hub is not None and message["type"] == groups.EVENT:
        message = {**message, "origin": await hub.deliver_local(message)}
    await get_channel_layer().group_send(groups.group_for_topic(topic), message)
