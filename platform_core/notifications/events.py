"""The live events of notifications, named once, with their payloads. They travel on the
recipient's own user:<id> topic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels

from .kinds import EmailMode, register
from .models import Notification

CREATED = "notification.created"
READ = "notification.read"

# Notification kinds of the platform itself (each app names and registers its own in its events.py).
WELCOME = "welcome"

# Audit actions.
EMAIL_SETTINGS_CHANGED = "notifications.email_settings_changed"

register(WELCOME, _("Welcome messages"), EmailMode.OFF, group=_("Platform"))
register_action_labels({EMAIL_SETTINGS_CHANGED: _("E-mail settings changed")})


def created(notification: Notification, *, unread: int) -> dict:
    return {"notification": notification.as_payload(), "unread": unread}


def read(ids: list[int], *, unread: int, every: bool = False) -> dict:
    payload: dict = {"ids": ids, "unread": unread}
    if every:
        payload["all"] = True
    return payload
