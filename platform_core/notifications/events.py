"""The live events of notifications, named once, with their payloads. They travel on the
recipient's own user:<id> topic."""

from __future__ import annotations

from .models import Notification

CREATED = "notification.created"
READ = "notification.read"

# Notification kinds of the platform itself (each app names its own in its events.py).
WELCOME = "welcome"


def created(notification: Notification, *, unread: int) -> dict:
    return {"notification": notification.as_payload(), "unread": unread}


def read(ids: list[int], *, unread: int, every: bool = False) -> dict:
    payload: dict = {"ids": ids, "unread": unread}
    if every:
        payload["all"] = True
    return payload
