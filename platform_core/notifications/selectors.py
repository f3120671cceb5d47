from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from .kinds import EmailMode, NotificationKind, kind_of, preference_key, registered_kinds
from .models import EmailSettings, Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- e-mail settings --------------------------------------------------------------------------------


def email_mode(row: EmailSettings | None, kind: str) -> str:
    """How a notification of `kind` goes by e-mail to the owner of `row` (None: no settings saved)."""
    mode = (row.modes if row is not None else {}).get(preference_key(kind))
    return mode if mode in EmailMode.values else kind_of(kind).default_email_mode


def email_settings_of(user_ids) -> dict[int, EmailSettings]:
    """The saved settings of many people in one query (those without a row are absent)."""
    return {row.user_id: row for row in EmailSettings.objects.filter(user_id__in=list(user_ids))}


@dataclass(frozen=True)
class KindSetting:
    kind: NotificationKind
    mode: str

    @property
    def is_default(self) -> bool:
        return self.mode == self.kind.default_email_mode


@dataclass(frozen=True)
class EmailPreferences:
    """What a person sees of their own e-mail settings, on the page and in the API alike."""

    language: str
    settings: list[KindSetting]
    has_address: bool


def email_preferences_for(user) -> EmailPreferences:
    """The person's own settings: every registered kind with its mode. Only ever the asker's own:
    there is no way to name another person."""
    row = EmailSettings.objects.filter(user=user).first()
    language = row.language if row is not None else settings.LANGUAGE_CODE
    return EmailPreferences(
        language=language,
        settings=[KindSetting(kind, email_mode(row, kind.key)) for kind in registered_kinds()],
        has_address=bool(user.email),
    )
