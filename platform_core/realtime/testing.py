"""Capturing what a service publishes, for tests (the model: Zulip's capture_send_event_calls).

    with capture_events() as captured:
        studio_member_add(actor=leader, studio=studio, user=newcomer)
    assert captured.names() == ["studio.member_added", "notification.created"]
    assert captured.events[0].data["member"]["user_id"] == newcomer.pk

`capture_events()` records every message handed to the channel layer during the block (running
the on-commit callbacks of a test's transaction at its end, as a commit would), and checks each
one's shape:
a well-formed topic, a payload that survives a JSON round trip unchanged, and, for a stored event,
the very row a reconnecting client would replay. A test needs no knowledge of how publishing
works inside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.test import TestCase

from . import groups, services
from .models import Event
from .registry import (
    TOPIC_PATTERN,
    Authorizer,
    FrameHandler,
    register_frame_handler,
    register_topic_kind,
    unregister_frame_handler,
    unregister_topic_kind,
)
from .services import Publication, PublicationBatch
from .topics import user_topic


@dataclass(frozen=True)
class PublishedEvent:
    """A stored event handed to the channel layer."""

    topic: str
    seq: int
    name: str
    data: dict[str, Any]
    revoke: tuple[int, ...]


@dataclass(frozen=True)
class SocketMessage:
    """A message about a user's sockets: "close_session" (a logout) or "recheck_user"."""

    kind: str
    user_id: int
    session_key: str | None = None


@dataclass
class CapturedEvents:
    published: list[PublishedEvent | SocketMessage] = field(default_factory=list)

    @property
    def events(self) -> list[PublishedEvent]:
        return [item for item in self.published if isinstance(item, PublishedEvent)]

    @property
    def socket_messages(self) -> list[SocketMessage]:
        return [item for item in self.published if isinstance(item, SocketMessage)]

    def names(self) -> list[str]:
        return [event.name for event in self.events]

    def on(self, topic: str) -> list[PublishedEvent]:
        return [event for event in self.events if event.topic == topic]


def _round_tripped(value: Any, what: str) -> Any:
    copy = json.loads(json.dumps(value))
    if copy != value:
        raise AssertionError(f"{what} does not survive a JSON round trip: {value!r}")
    return copy


def _event(publication: Publication) -> PublishedEvent:
    message = publication.message
    expected = {"type", "topic", "seq", "event", "data", "revoke"}
    if set(message) != expected:
        raise AssertionError(f"an event message has keys {sorted(message)}, expected {sorted(expected)}")
    if message["topic"] != publication.topic or not TOPIC_PATTERN.match(publication.topic):
        raise AssertionError(f"an event published to {publication.topic!r} names {message['topic']!r}")
    if not isinstance(message["data"], dict):
        raise AssertionError(f"the data of {message['event']} is not an object")
    published = PublishedEvent(
        topic=publication.topic,
        seq=message["seq"],
        name=message["event"],
        data=_round_tripped(message["data"], f"the data of {message['event']}"),
        revoke=tuple(message["revoke"]),
    )
    stored = (
        Event.objects.filter(topic__name=published.topic, seq=published.seq)
        .values_list("name", "data", "revoke")
        .first()
    )
    if stored != (published.name, published.data, list(published.revoke)):
        raise AssertionError(f"{published} is not the stored event {stored}: a replay would differ")
    return published


def _socket_message(publication: Publication) -> SocketMessage:
    message = _round_tripped(publication.message, "a socket message")
    kind = {groups.CLOSE_SESSION: "close_session", groups.RECHECK_USER: "recheck_user"}[message["type"]]
    if publication.topic != user_topic(message["user_id"]):
        raise AssertionError(f"a message about user {message['user_id']} went to {publication.topic!r}")
    return SocketMessage(kind=kind, user_id=message["user_id"], session_key=message.get("session_key"))


def _checked(publication: Publication) -> PublishedEvent | SocketMessage:
    if publication.message["type"] == groups.EVENT:
        return _event(publication)
    return _socket_message(publication)


def published_by(callbacks: Iterable[object]) -> CapturedEvents:
    """What a list of captured on-commit callbacks publishes, checked, in order (for tests that
    capture callbacks themselves, with pytest-django's django_capture_on_commit_callbacks)."""
    return CapturedEvents(
        [
            _checked(publication)
            for callback in callbacks
            if isinstance(callback, Publication | PublicationBatch)
            for publication in callback.parts
        ]
    )


@contextmanager
def capture_events(*, using: str = "default") -> Iterator[CapturedEvents]:
    """Record, checked, every message published while the block runs, and when it ends.

    In a test wrapped in a transaction, the on-commit callbacks run at the end of the block, as
    a commit would; in a transactional test (autocommit) they run at each commit, as usual.
    """
    captured = CapturedEvents()
    publish = services.send_publications

    def recording(publications) -> None:
        captured.published.extend(_checked(publication) for publication in publications)
        publish(publications)

    with (
        mock.patch.object(services, "send_publications", recording),
        TestCase.captureOnCommitCallbacks(using=using, execute=True),
    ):
        yield captured


@contextmanager
def registered_topic_kind(prefix: str, *, authorize: Authorizer, **options: Any) -> Iterator[None]:
    """A topic kind that exists for the block only."""
    register_topic_kind(prefix, authorize=authorize, **options)
    try:
        yield
    finally:
        unregister_topic_kind(prefix)


@contextmanager
def registered_frame_handler(frame_type: str, handler: FrameHandler, **options: Any) -> Iterator[None]:
    """A client frame type that exists for the block only."""
    register_frame_handler(frame_type, handler, **options)
    try:
        yield
    finally:
        unregister_frame_handler(frame_type)
