"""Reading stored events for replay (websocket) and resync (REST)."""

from __future__ import annotations

from . import frames
from .models import Event, Topic


def topic_head(topic: str) -> int:
    return Topic.objects.filter(name=topic).values_list("head", flat=True).first() or 0


def events_after(topic: str, since: int, *, limit: int) -> list[Event]:
    return list(Event.objects.filter(topic__name=topic, seq__gt=since).order_by("seq")[:limit])


def replay_frames(topic: str, since: int, *, limit: int) -> list[tuple[int, str, frozenset[int]]]:
    """(seq, frame text, users whose access ends there) of the events after `since`."""
    rows = (
        Event.objects.filter(topic__name=topic, seq__gt=since)
        .order_by("seq")
        .values_list("seq", "name", "data", "revoke")[:limit]
    )
    return [
        (seq, frames.event(topic, seq, name, data), frozenset(revoke)) for seq, name, data, revoke in rows
    ]


def replay_window(
    topic: str, since: int | None, *, limit: int, head: int | None = None
) -> tuple[int, list[tuple[int, str, frozenset[int]]] | None]:
    """The topic's head and the frames a subscriber that saw `since` lacks.

    None instead of frames means the subscriber must resync through the REST API: more than
    `limit` events are missing, or it claims a seq the topic never reached (a restored database).
    """
    if head is None:
        head = topic_head(topic)
    if since is None:
        return head, []
    if since > head or head - since > limit:
        return head, None
    # Not bounded by head: events committed since are welcome and are deduplicated by seq.
    return head, replay_frames(topic, since, limit=2 * limit)
