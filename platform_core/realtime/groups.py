"""Names shared by the publishing side (services) and the receiving side (hubs)."""

from __future__ import annotations


def group_for_topic(topic: str) -> str:
    # Channel-layer group names allow only [A-Za-z0-9._-]; topic names are kind:key with no dots.
    return "rt." + topic.replace(":", ".")


# Message types carried by the channel layer between processes (never sent to clients as is).
EVENT = "rt.event"
# Several consecutive events of one topic in one message ("events": [event messages], "origin").
EVENTS = "rt.events"
EPHEMERAL = "rt.ephemeral"
CLOSE_SESSION = "rt.close_session"
RECHECK_USER = "rt.recheck_user"
