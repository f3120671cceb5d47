"""Composing the notification mails (run by the periodic step, never inside a request).

Each notification is looked at once, by its `mail_state`:

- `pending` (new): its recipient's mode for its kind decides. No e-mail (the mode is off, the
  person is inactive or has no address) or already read: `done`. Daily digest: `digest`. Soon: it
  waits MAIL_SOON_DELAY_MINUTES; then, if still unread, it goes into one mail with the other soon
  notifications of that person, and is `done`; read meanwhile, it is dropped (`done`).
- `digest`: once a day, at the first pass after MAIL_DIGEST_HOUR (platform time, Asia/Shanghai),
  each person's waiting notifications that are still unread go into one mail; all become `done`.
  A notification that arrives after that day's digest waits for the next day's.

The mails are written to the outbox (OutgoingMail) in the same transaction as the notifications'
new state, under a unique key: `soon:<user>:<first notification>` or `digest:<user>:<day>`, so a
pass that runs twice stores each mail once. mailer.py sends the outbox.

The work per pass is a fixed number of queries whatever the number of people (the batch bounds
the rows read), tests/notifications/test_mail_queries.py counts them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import EmailMode, kind_of, preference_key
from .models import EmailSettings, MailState, Notification, OutgoingMail
from .selectors import email_mode, email_settings_of
from .unsubscribe import absolute, unsubscribe_url

# Notifications read from the database per pass at most (the rest wait for the next pass).
BATCH = 5000
# People whose digest is composed per pass at most.
DIGEST_BATCH = 500


def compose_due_mails(now: datetime.datetime) -> dict[str, int]:
    counts = sort_pending(now)
    counts["digests"] = compose_digests(now)
    return counts


def _wants_mail(user) -> bool:
    return bool(user.is_active and user.email)


def sort_pending(now: datetime.datetime) -> dict[str, int]:
    """Decide every new notification's fate; compose the soon mails that are due."""
    cutoff = now - datetime.timedelta(minutes=settings.MAIL_SOON_DELAY_MINUTES)
    pending = list(
        Notification.objects.filter(mail_state=MailState.PENDING)
        .select_related("recipient")
        .order_by("pk")[:BATCH]
    )
    if not pending:
        return {"soon": 0, "dropped": 0}
    rows = email_settings_of({notification.recipient_id for notification in pending})
    done: list[int] = []
    digest: list[int] = []
    soon: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        user = notification.recipient
        mode = email_mode(rows.get(user.pk), notification.kind)
        if mode == EmailMode.OFF or notification.read_at is not None or not _wants_mail(user):
            done.append(notification.pk)
        elif mode == EmailMode.DIGEST:
            digest.append(notification.pk)
        elif notification.created_at <= cutoff:
            soon[user.pk].append(notification)
        # else: soon, still within its delay: looked at again next pass.
    mails = [_soon_mail(items, rows.get(user_id)) for user_id, items in soon.items()]
    soon_ids = [notification.pk for items in soon.values() for notification in items]
    with transaction.atomic():
        Notification.objects.filter(pk__in=done, mail_state=MailState.PENDING).update(
            mail_state=MailState.DONE
        )
        Notification.objects.filter(pk__in=digest, mail_state=MailState.PENDING).update(
            mail_state=MailState.DIGEST
        )
        if mails:
            OutgoingMail.objects.bulk_create(mails, ignore_conflicts=True)
            Notification.objects.filter(pk__in=soon_ids, mail_state=MailState.PENDING).update(
                mail_state=MailState.DONE
            )
    return {"soon": len(mails), "dropped": len(done)}


def compose_digests(now: datetime.datetime) -> int:
    """Each person's daily digest, once a day from MAIL_DIGEST_HOUR on."""
    local = timezone.localtime(now)
    if local.hour < settings.MAIL_DIGEST_HOUR:
        return 0
    day = local.date().isoformat()
    waiting_users = list(
        Notification.objects.filter(mail_state=MailState.DIGEST)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if not waiting_users:
        return 0
    already = set(
        OutgoingMail.objects.filter(
            dedup_key__in=[_digest_key(user_id, day) for user_id in waiting_users]
        ).values_list("dedup_key", flat=True)
    )
    due_users = [user_id for user_id in waiting_users if _digest_key(user_id, day) not in already][
        :DIGEST_BATCH
    ]
    if not due_users:
        return 0
    waiting = list(
        Notification.objects.filter(mail_state=MailState.DIGEST, recipient_id__in=due_users)
        .select_related("recipient")
        .order_by("recipient_id", "pk")
    )
    rows = email_settings_of(due_users)
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in waiting:
        user = notification.recipient
        if (
            notification.read_at is None
            and _wants_mail(user)
            and email_mode(rows.get(user.pk), notification.kind) != EmailMode.OFF
        ):
            by_user[user.pk].append(notification)
    mails = [_digest_mail(items, rows.get(user_id), day) for user_id, items in by_user.items()]
    with transaction.atomic():
        if mails:
            OutgoingMail.objects.bulk_create(mails, ignore_conflicts=True)
        Notification.objects.filter(pk__in=[n.pk for n in waiting], mail_state=MailState.DIGEST).update(
            mail_state=MailState.DONE
        )
    return len(mails)


def _digest_key(user_id: int, day: str) -> str:
    return f"digest:{user_id}:{day}"


# --- rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailItem:
    title: str
    body: str
    url: str
    kind_label: str
    unsubscribe_url: str


def _language(row: EmailSettings | None) -> str:
    return row.language if row is not None else settings.LANGUAGE_CODE


def _items(notifications: list[Notification], language: str) -> list[MailItem]:
    user_id = notifications[0].recipient_id
    items = []
    for notification in notifications:
        text = notification.text_in(language)
        link = notification.link
        items.append(
            MailItem(
                title=text["title"],
                body=text["body"],
                url=absolute(link) if link else "",
                kind_label=str(kind_of(notification.kind).label),
                unsubscribe_url=unsubscribe_url(user_id, [preference_key(notification.kind)]),
            )
        )
    return items


def _outgoing(
    *,
    notifications: list[Notification],
    template: str,
    subject: str,
    dedup_key: str,
    language: str,
    extra: dict,
) -> OutgoingMail:
    user = notifications[0].recipient
    kinds = sorted({notification.kind for notification in notifications})
    keys = sorted({preference_key(kind) for kind in kinds})
    everything = unsubscribe_url(user.pk, keys)
    context = {
        "user": user,
        "site_name": str(settings.SITE_NAME),
        "site_url": absolute("/"),
        "items": _items(notifications, language),
        "settings_url": absolute(reverse("notifications:email_settings")),
        "notifications_url": absolute(reverse("notifications:list")),
        "unsubscribe_url": everything,
        **extra,
    }
    return OutgoingMail(
        recipient=user,
        to_address=user.email,
        kinds=kinds,
        subject=subject[:255],
        text=render_to_string(f"notifications/email/{template}.txt", context),
        html=render_to_string(f"notifications/email/{template}.html", context),
        headers={
            # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the URL; a GET there
            # only shows a confirmation page.
            "List-Unsubscribe": f"<{everything}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        dedup_key=dedup_key,
    )


def _soon_mail(notifications: list[Notification], row: EmailSettings | None) -> OutgoingMail:
    language = _language(row)
    with translation.override(language):
        site = str(settings.SITE_NAME)
        if len(notifications) == 1:
            subject = _("[%(site)s] %(title)s") % {"site": site, "title": notifications[0].title_in(language)}
        else:
            subject = ngettext(
                "[%(site)s] %(count)d new notification",
                "[%(site)s] %(count)d new notifications",
                len(notifications),
            ) % {"site": site, "count": len(notifications)}
        return _outgoing(
            notifications=notifications,
            template="soon",
            subject=subject,
            dedup_key=f"soon:{notifications[0].recipient_id}:{notifications[0].pk}",
            language=language,
            extra={},
        )


def _digest_mail(notifications: list[Notification], row: EmailSettings | None, day: str) -> OutgoingMail:
    language = _language(row)
    with translation.override(language):
        count = len(notifications)
        subject = ngettext(
            "[%(site)s] Daily digest: %(count)d unread notification",
            "[%(site)s] Daily digest: %(count)d unread notifications",
            count,
        ) % {"site": str(settings.SITE_NAME), "count": count}
        return _outgoing(
            notifications=notifications,
            template="digest",
            subject=subject,
            dedup_key=_digest_key(notifications[0].recipient_id, day),
            language=language,
            extra={"day": day},
        )
