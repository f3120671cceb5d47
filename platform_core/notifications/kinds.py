"""The kinds of notification, declared by the apps that send them: a label for the e-mail settings
page and how a notification of that kind goes by e-mail unless its recipient chose otherwise.

Each app registers its kinds in its own `events.py` (imported by every process at start-up, see
platform_core/audit/apps.py), next to the constants it passes to `notify(kind=…)`:

    from platform_core.notifications.kinds import EmailMode, register

    register(TEAM_INVITED, _("Invitations to a team"), EmailMode.SOON, group=_("Teams and alliances"))

A kind nobody registered still works: it reads as "Other notifications", goes by the daily digest,
and its recipients turn it off with the "other" setting. tests/notifications/test_kinds.py finds
every `notify(kind=…)` of the code base and fails on one that is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class EmailMode(models.TextChoices):
    OFF = "off", _("No e-mail")
    SOON = "soon", _("Soon, unless read on the platform first")
    DIGEST = "digest", _("In the daily digest, if still unread")


# The preference that stands for every kind nobody registered.
OTHER = "other"
OTHER_GROUP = _("Other")


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: StrOrPromise
    default_email_mode: str
    group: StrOrPromise


OTHER_KIND = NotificationKind(OTHER, _("Other notifications"), EmailMode.DIGEST, OTHER_GROUP)

_kinds: dict[str, NotificationKind] = {}


def register(
    kind: str,
    label: StrOrPromise,
    default_email_mode: str = EmailMode.DIGEST,
    *,
    group: StrOrPromise = OTHER_GROUP,
) -> None:
    """Declare a notification kind. Registering one kind twice is an error at start-up: two apps
    would otherwise share one setting without knowing it."""
    if kind in _kinds or kind == OTHER:
        raise ImproperlyConfigured(f"notification kind {kind!r} is registered twice")
    if default_email_mode not in EmailMode.values:
        raise ImproperlyConfigured(f"notification kind {kind!r}: unknown e-mail mode {default_email_mode!r}")
    _kinds[kind] = NotificationKind(kind, label, str(default_email_mode), group)


def unregister(kind: str) -> None:
    """For tests that register a kind of their own."""
    _kinds.pop(kind, None)


def kind_of(kind: str) -> NotificationKind:
    """The registered kind, or the stand-in for every unregistered one."""
    return _kinds.get(kind, OTHER_KIND)


def preference_key(kind: str) -> str:
    """The setting that decides a notification's e-mail: its kind's, or "other"."""
    return kind if kind in _kinds else OTHER


def is_registered(kind: str) -> bool:
    return kind in _kinds


def registered_kinds() -> list[NotificationKind]:
    """Every kind a person may set, in registration order (apps in INSTALLED_APPS order), with
    "other" last."""
    return [*_kinds.values(), OTHER_KIND]


def setting_keys() -> set[str]:
    return {*_kinds, OTHER}
