"""Reading what a service emitted: the stored Event rows and the on-commit publish callbacks."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from platform_core.orgs.models import Studio
from platform_core.realtime.models import Event
from platform_core.realtime.testing import PublishedEvent, published_by


def stored_events(topic: str) -> list[tuple[int, str, dict]]:
    """(seq, name, data) of every stored event of `topic`, in seq order."""
    return list(Event.objects.filter(topic__name=topic).order_by("seq").values_list("seq", "name", "data"))


def stored_event_count() -> int:
    return Event.objects.count()


def published(callbacks) -> list[tuple]:
    """What the captured on-commit callbacks send to the channel layer, in order, each checked by
    platform_core.realtime.testing.

    ("event", topic, seq, name) for a stored event, with a fifth item, the user ids, when the
    event ends those users' access; ("close_session", user_id, session_key) and
    ("recheck_user", user_id) for the messages about a user's sockets.
    """
    sent: list[tuple] = []
    for item in published_by(callbacks).published:
        if isinstance(item, PublishedEvent):
            head = ("event", item.topic, item.seq, item.name)
            sent.append((*head, item.revoke) if item.revoke else head)
        elif item.kind == "close_session":
            sent.append(("close_session", item.user_id, item.session_key))
        else:
            sent.append(("recheck_user", item.user_id))
    return sent


def user_topic(user) -> str:
    return f"user:{user.pk}"


def make_user(username: str, unit=None, **extra):
    extra.setdefault("display_name", username.upper())
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests", unit=unit, **extra
    )


def delist(studio: Studio, reason: str = "复评未通过") -> Studio:
    """Delist directly (not through the service), to set up a test."""
    studio.status = Studio.Status.DELISTED
    studio.delisted_reason = reason
    studio.save()
    return studio
