"""What apps plug into the realtime core: kinds of topics, and client frame types.

Each app registers, in one place (its `topics.py`, imported by its AppConfig.ready):

- the topic prefixes it owns (`studio`, later `room`, `challenge`) with a function that answers,
  from the database, whether a user may see a topic; the consumer asks it on every subscribe;
- the client frame types it handles (`typing`, later `message.send`): an async handler the
  consumer calls for a frame about a topic the socket is subscribed to.

The consumer itself only speaks the protocol (ping, ack, subscribe, unsubscribe). See
docs/realtime.md and docs/architecture.md, "Extending the realtime core".
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .frames import Ref

TOPIC_PATTERN = re.compile(r"^(?P<kind>[a-z][a-z_]{0,30}):(?P<key>[A-Za-z0-9_-]{1,64})$")

# Frame types the consumer handles itself; no app may take them over.
PROTOCOL_FRAME_TYPES = frozenset({"ping", "ack", "subscribe", "unsubscribe"})


class TopicError(Exception):
    code = "invalid"


class TopicNotFound(TopicError):
    code = "not_found"


class TopicForbidden(TopicError):
    code = "forbidden"


# (user, key) -> None; raises TopicNotFound or TopicForbidden. Runs in a worker thread.
Authorizer = Callable[[Any, str], None]


@dataclass(frozen=True)
class TopicKind:
    prefix: str
    authorize: Authorizer
    # Client frame types its subscribers may send into it, beside those whose handler names
    # this kind (a kind opts in to a generic frame such as "typing" here).
    frame_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FrameContext:
    """What a frame handler knows about the socket that sent the frame.

    `topic` is the frame's topic, already checked: the socket is subscribed to it and its kind
    takes this frame type. A handler that writes calls its service through
    `channels.db.database_sync_to_async` (the service checks permission and raises
    PermissionDenied or ValidationError, which become an `error` frame echoing `ref` and
    `client_id`), then answers with `await context.ack(...)`.
    """

    user: Any
    topic: str
    key: str
    ref: Ref
    client_id: Ref
    connection_id: str
    # Sends one frame (a dict) to this socket only.
    send: Callable[[dict[str, Any]], Awaitable[None]]
    # The socket's live subscriptions, by topic (read-only).
    subscriptions: Mapping[str, object]

    async def ack(self, **fields: Any) -> None:
        """Answer the frame: {"type": "ack", "ref": …, "client_id": …, **fields}."""
        frame: dict[str, Any] = {"type": "ack", "ref": self.ref}
        if self.client_id is not None:
            frame["client_id"] = self.client_id
        await self.send({**frame, **fields})


FrameHandler = Callable[[dict[str, Any], FrameContext], Awaitable[None]]


@dataclass(frozen=True)
class FrameType:
    name: str
    handler: FrameHandler
    topic_kinds: frozenset[str]

    def accepts(self, kind: TopicKind) -> bool:
        return kind.prefix in self.topic_kinds or self.name in kind.frame_types


_kinds: dict[str, TopicKind] = {}
_frame_types: dict[str, FrameType] = {}


def register_topic_kind(
    prefix: str,
    *,
    authorize: Authorizer,
    allow_typing: bool = False,
    frame_types: Collection[str] = (),
) -> TopicKind:
    """Own the topics `<prefix>:<key>`. `allow_typing=True` is short for
    `frame_types=("typing",)`. Registering a prefix twice raises ImproperlyConfigured."""
    if prefix in _kinds:
        raise ImproperlyConfigured(f"topic kind {prefix!r} is already registered")
    if not TOPIC_PATTERN.match(f"{prefix}:x"):
        raise ImproperlyConfigured(f"topic kind {prefix!r} must be lower-case letters and underscores")
    kind = TopicKind(
        prefix=prefix,
        authorize=authorize,
        frame_types=frozenset(frame_types) | ({"typing"} if allow_typing else frozenset()),
    )
    _kinds[prefix] = kind
    return kind


def unregister_topic_kind(prefix: str) -> None:
    """Forget a kind (tests register kinds for one test)."""
    _kinds.pop(prefix, None)


def register_frame_handler(
    frame_type: str, handler: FrameHandler, *, topic_kinds: Collection[str] = ()
) -> FrameType:
    """Handle client frames `{"type": frame_type, "topic": …}` sent on a subscribed topic whose
    kind is in `topic_kinds` (or whose kind lists `frame_type`). Registering a type twice, or a
    protocol type (ping, ack, subscribe, unsubscribe), raises ImproperlyConfigured."""
    if frame_type in _frame_types or frame_type in PROTOCOL_FRAME_TYPES:
        raise ImproperlyConfigured(f"client frame type {frame_type!r} is already registered")
    registered = FrameType(name=frame_type, handler=handler, topic_kinds=frozenset(topic_kinds))
    _frame_types[frame_type] = registered
    return registered


def unregister_frame_handler(frame_type: str) -> None:
    """Forget a frame type (tests register handlers for one test)."""
    _frame_types.pop(frame_type, None)


def find_frame_type(name: str) -> FrameType | None:
    return _frame_types.get(name)


def parse_topic(topic: object) -> tuple[TopicKind, str]:
    if not isinstance(topic, str):
        raise TopicError("topic must be a string like 'room:42'")
    match = TOPIC_PATTERN.match(topic)
    if match is None:
        raise TopicError("topic must look like 'kind:key'")
    kind = _kinds.get(match["kind"])
    if kind is None:
        raise TopicNotFound(f"unknown topic kind {match['kind']!r}")
    return kind, match["key"]


def authorize_subscription(user, topic: str) -> TopicKind:
    """Raise a TopicError unless `user` may receive the events of `topic`."""
    kind, key = parse_topic(topic)
    kind.authorize(user, key)
    return kind


def int_key(key: str) -> int:
    """Keys of database-backed topics are primary keys; anything else names no object."""
    if not key.isdigit():
        raise TopicNotFound("no such object")
    return int(key)
