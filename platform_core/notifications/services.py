"""Creating and reading notifications. Each change is an event on the recipient's user topic."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text

from . import events
from .models import Notification
from .selectors import notifications_for, unread_count


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def notification_create(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    # Titles and bodies quote what users wrote (names, reasons): cleaned here once more, as every
    # notification reaches a page and a live event.
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=clean_line(title, max_length=200),
            body=clean_plain_text(body),
            url=url[:300],
        )
        emit(
            user_topic(recipient.pk),
            events.CREATED,
            # Counted under the topic lock, so concurrent notifications announce 1, 2, … not 1, 1.
            lambda: events.created(notification, unread=unread_count(recipient)),
        )
    return notification


def notify(recipients, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    """Notify each distinct recipient once (None and repeats skipped): the one fan-out every app's
    services call. `kind` is a constant of the calling app's events.py; texts are built by the
    caller inside platform_language()."""
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_create(recipient=user, kind=kind, title=title, body=body, url=url)


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read. Another user's is simply not found (404):
    the one place ownership is checked, for the page and the API alike."""
    with transaction.atomic():
        notification = get_object_or_404(notifications_for(user).select_for_update(), pk=notification_id)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            emit(
                user_topic(user.pk),
                events.READ,
                lambda: events.read([notification.pk], unread=unread_count(user)),
            )
    return notification


def notification_mark_all_read(*, user) -> int:
    with transaction.atomic():
        unread = notifications_for(user).filter(read_at__isnull=True)
        ids = list(unread.values_list("pk", flat=True))
        if ids:
            Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
            emit(
                user_topic(user.pk),
                events.READ,
                lambda: events.read(ids, unread=unread_count(user), every=True),
            )
    return len(ids)
