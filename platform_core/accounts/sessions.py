"""Ending every session of one user (the session store has no index by user)."""

from __future__ import annotations

from functools import partial
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone


def end_user_sessions(user_id: int) -> int:
    """Delete the user's sessions; returns how many. Reads every live session once: fine for the
    rare change that needs it (an account disabled or re-enabled), not for a hot path."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    decoder = store()
    ended = [
        session.session_key
        for session in sessions.only("session_key", "session_data").iterator()
        if decoder.decode(session.session_data).get(SESSION_KEY) == str(user_id)
    ]
    for session_key in ended:
        store(session_key=session_key).delete()  # also drops a cached copy (cached_db engine)
    return len(ended)


def end_user_sessions_on_commit(user_id: int) -> None:
    transaction.on_commit(partial(end_user_sessions, user_id))
