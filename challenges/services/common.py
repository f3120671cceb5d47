"""Helpers shared by the challenge services: row locks with the database clock, notifications."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models.functions import Now

from platform_core.notifications.services import notify, verbatim  # noqa: F401  the one notify, for this app
from platform_core.text import clean_plain_text

from ..lifecycle import effective_state
from ..models import Challenge


def challenge_url(challenge: Challenge) -> str:
    return f"/challenges/{challenge.pk}/"


def lock_challenge(pk: int) -> tuple[Challenge, datetime.datetime, str]:
    """Lock the challenge row, then read the database clock: (challenge, now, effective state).

    The clock is read in a statement of its own after the lock is granted. PostgreSQL's
    STATEMENT_TIMESTAMP() of the locking statement would be the time it started waiting, so a
    submit that queued behind another until after the deadline would still pass as on time.
    """
    challenge = Challenge.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
    now = Challenge.objects.filter(pk=pk).annotate(db_now=Now()).values_list("db_now", flat=True).get()
    return challenge, now, effective_state(challenge, now)


def required_text(value: str, *, field: str, message: str, max_length: int = 4000) -> str:
    text = clean_plain_text(value or "", max_length=max_length)
    if not text:
        raise ValidationError({field: message})
    return text


def optional_text(value: str | None, *, max_length: int = 8000) -> str:
    return clean_plain_text(value or "", max_length=max_length)
