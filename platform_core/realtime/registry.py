"""Kinds of live topics and who may subscribe to them.

Each app registers the topic prefixes it owns (`user`, `studio`, later `room`, `challenge`) with a
function that answers, from the database, whether a user may see a topic. The websocket consumer
asks here on every subscribe, so the access rule lives beside the app's other rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TOPIC_PATTERN = re.compile(r"^(?P<kind>[a-z][a-z_]{0,30}):(?P<key>[A-Za-z0-9_-]{1,64})$")


class TopicError(Exception):
    code = "invalid"


class TopicNotFound(TopicError):
    code = "not_found"


class TopicForbidden(TopicError):
    code = "forbidden"


# (user, key) -> None; raises TopicNotFound or TopicForbidden. Runs in a worker thread.
Authorizer = Callable[[object, str], None]


@dataclass(frozen=True)
class TopicKind:
    prefix: str
    authorize: Authorizer
    # Whether subscribers may send ephemeral frames (typing) into the topic.
    allow_typing: bool = False


_kinds: dict[str, TopicKind] = {}


def register_topic_kind(prefix: str, *, authorize: Authorizer, allow_typing: bool = False) -> None:
    _kinds[prefix] = TopicKind(prefix=prefix, authorize=authorize, allow_typing=allow_typing)


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
