"""Reading what a service emitted: the stored Event rows and the on-commit publish callbacks."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from platform_core.realtime import groups
from platform_core.realtime import services as realtime_services
from platform_core.realtime.models import Event


def stored_events(topic: str) -> list[tuple[int, str, dict]]:
    """(seq, name, data) of every stored event of `topic`, in seq order."""
    return list(Event.objects.filter(topic__name=topic).order_by("seq").values_list("seq", "name", "data"))


def stored_event_count() -> int:
    return Event.objects.count()


def published(callbacks) -> list[tuple]:
    """What the captured on-commit callbacks send to the channel layer, in order.

    ("event", topic, seq, name) for a stored event, ("revoke", topic, user_ids) for a revocation.
    """
    sent = []
    for callback in callbacks:
        func = getattr(callback, "func", None)
        if func is realtime_services._publish_stored:
            topic, seq, name, _data = callback.args
            sent.append(("event", topic, seq, name))
        elif func is realtime_services._group_send:
            topic, message = callback.args
            if message["type"] == groups.REVOKE:
                sent.append(("revoke", topic, tuple(message["user_ids"])))
    return sent


def user_topic(user) -> str:
    return f"user:{user.pk}"


def make_user(username: str, unit=None, **extra):
    extra.setdefault("display_name", username.upper())
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests", unit=unit, **extra
    )
