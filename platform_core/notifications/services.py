"""Creating and reading notifications. Each change is an event on the recipient's user topic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text

from . import events
from .kinds import EmailMode, kind_of, setting_keys
from .models import EmailSettings, Notification
from .selectors import notifications_for, unread_count
from .unsubscribe import read_unsubscribe_token


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


# A notification's text, handed over unrendered: a callable that builds it with gettext (run once per
# language), or a lazy translation (gettext_lazy). Never a str: a str is already rendered in one
# language, and the notification would read in that language to everyone.
Text = Callable[[], str] | Promise


def verbatim(text: str) -> Text:
    """Text a person wrote (a reason, a question, a message): the same in every language."""
    return lambda: text


def _check(text: Text | None) -> None:
    if isinstance(text, str):
        raise TypeError(
            "A notification's text must be a callable or a lazy translation, not an already rendered "
            "str: it is rendered in every language of settings.LANGUAGES (lambda: _('…') % {…})."
        )
    if not (text is None or isinstance(text, Promise) or callable(text)):
        raise TypeError(f"A notification's text must be a callable or a lazy translation, not {type(text)!r}")


def _render(text: Text | None) -> str:
    if text is None:
        return ""
    if isinstance(text, Promise):
        return str(text)
    return str(text())


def render_in_languages(*, title: Text, body: Text | None = None) -> dict[str, dict[str, str]]:
    """{language: {"title", "body"}} for every language of settings.LANGUAGES, each rendered under
    that language, so that translated labels inside the text (a state, a role) follow it too.

    Why render at creation rather than store a msgid and its parameters and render on reading:
    the texts quote objects that later change or go (a challenge renamed, a studio dissolved);
    the notification must keep saying what it said, and a list page must not load those objects
    again, one query per row. The cost is one rendering per language (two) when notifying."""
    _check(title)
    _check(body)
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Titles and bodies quote what users wrote (names, reasons): cleaned here once more,
            # as every notification reaches a page and a live event.
            texts[code] = {
                "title": clean_line(_render(title), max_length=200),
                "body": clean_plain_text(_render(body)),
            }
    return texts


def notification_create(
    *, recipient, kind: str, title: Text, body: Text | None = None, url: str = ""
) -> Notification:
    """One notification, its text stored in every language (see render_in_languages); the reader
    sees the one of their page or API request (Notification.text_in)."""
    texts = render_in_languages(title=title, body=body)
    return _create(recipient=recipient, kind=kind, texts=texts, url=url)


def _create(*, recipient, kind: str, texts: dict[str, dict[str, str]], url: str) -> Notification:
    default = texts[settings.LANGUAGE_CODE]
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=default["title"],
            body=default["body"],
            translations={code: text for code, text in texts.items() if code != settings.LANGUAGE_CODE},
            url=url[:300],
        )
        emit(
            user_topic(recipient.pk),
            events.CREATED,
            # Counted under the topic lock, so concurrent notifications announce 1, 2, … not 1, 1.
            lambda: events.created(notification, unread=unread_count(recipient)),
        )
    return notification


def notify(recipients, *, kind: str, title: Text, body: Text | None = None, url: str = "") -> None:
    """Notify each distinct recipient once (None and repeats skipped): the one fan-out every app's
    services call. `kind` is a constant of the calling app's events.py. `title` and `body` are
    given unrendered (Text: `lambda: _("…%(x)s…") % {...}`, or a gettext_lazy string) and are
    rendered here, now, in every language; a plain str is refused (TypeError).

    Why a callable rather than gettext_lazy/format_lazy: `%` on a lazy string renders it at once,
    in the active language, and the labels the texts nest (`get_state_display()`, a role) are
    plain strs by the time they are formatted; a callable runs the whole expression again under
    each language, labels included, and call sites change by one word (`lambda:`). Rendered before
    notify returns, so a lambda written in a loop reads the loop's current values (hence the
    `noqa: B023` at such call sites). Stored rendered, not as msgid and parameters: see
    render_in_languages. Every reader then picks its language from the row: the page and the API
    by the request's language, the live event by carrying every language for the page to pick."""
    # Checked before the loop, so a wrong call fails even when nobody is to be told.
    _check(title)
    _check(body)
    seen: set[int] = set()
    texts: dict[str, dict[str, str]] | None = None
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        # Rendered once for all the recipients (the same text for each), and only if there is one.
        if texts is None:
            texts = render_in_languages(title=title, body=body)
        _create(recipient=user, kind=kind, texts=texts, url=url)


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


# --- e-mail settings --------------------------------------------------------------------------------


def _clean_modes(modes: object) -> dict[str, str]:
    if not isinstance(modes, dict):
        raise ValidationError({"modes": _("Give a mode for each kind of notification.")})
    known = setting_keys()
    errors = [
        _("Unknown kind of notification: %(kind)s") % {"kind": str(key)[:80]}
        for key in modes
        if key not in known
    ]
    errors += [
        _("Unknown e-mail mode: %(mode)s") % {"mode": str(mode)[:20]}
        for mode in modes.values()
        if mode not in EmailMode.values
    ]
    if errors:
        raise ValidationError({"modes": errors})
    return dict(modes)


def email_settings_update(*, user, modes: dict | None = None, language: str | None = None) -> EmailSettings:
    """A person changes their own e-mail settings (the only person a settings write can name). Only
    what differs from a kind's default is stored, so a new default reaches everyone who kept it."""
    changed_modes = _clean_modes(modes) if modes is not None else {}
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the platform's languages.")})
    with transaction.atomic():
        row, _created = EmailSettings.objects.select_for_update().get_or_create(user=user)
        merged = {**row.modes, **changed_modes}
        row.modes = {
            key: mode
            for key, mode in sorted(merged.items())
            if key in setting_keys() and mode != kind_of(key).default_email_mode
        }
        if language is not None:
            row.language = language
        row.save(update_fields=["modes", "language", "updated_at"])
        audit_record(
            actor=user,
            action=events.EMAIL_SETTINGS_CHANGED,
            target=user,
            data={"modes": changed_modes, "language": language},
        )
    return row


def email_unsubscribe(*, token: str) -> tuple[Any, list[str]]:
    """Turn e-mail off for the settings a mail's signed link names (no login: the signature is the
    proof). Returns (the person, the keys turned off). A bad link is a 404, whatever was wrong."""
    user, keys = unsubscribe_target(token)
    email_settings_update(user=user, modes=dict.fromkeys(keys, EmailMode.OFF))
    return user, keys


def unsubscribe_target(token: str) -> tuple[Any, list[str]]:
    """(person, keys still known) a link names, for its confirmation page; Http404 if it is not ours."""
    try:
        user_id, keys = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404("no such link") from None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("no such link")
    return user, [key for key in keys if key in setting_keys()]
