from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from platform_core.notifications.kinds import EmailMode, register, unregister

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Kinds of these tests, one per default e-mail mode.
SOON = "test.soon"
DIGEST = "test.digest"
QUIET = "test.quiet"


@pytest.fixture
def mail_kinds():
    register(SOON, "Test soon kind", EmailMode.SOON, group="Tests")
    register(DIGEST, "Test digest kind", EmailMode.DIGEST, group="Tests")
    register(QUIET, "Test quiet kind", EmailMode.OFF, group="Tests")
    yield
    for kind in (SOON, DIGEST, QUIET):
        unregister(kind)


def later(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def next_morning(hour: int = 9) -> datetime.datetime:
    """Tomorrow at `hour` o'clock, platform time (past the digest hour, 8, by default)."""
    tomorrow = timezone.localtime(timezone.now(), SHANGHAI).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time(hour), tzinfo=SHANGHAI)


def zh(msgid: str, plural: str | None = None, count: int = 1) -> str:
    """A text as a Chinese mail shows it: the catalogue's, or the msgid until it has one."""
    with translation.override("zh-hans"):
        return translation.ngettext(msgid, plural, count) if plural else translation.gettext(msgid)


def site() -> str:
    return zh("Open Challenge Platform")
