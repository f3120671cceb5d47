"""Reads of people that depend on who asks: finding a colleague by name, unit or username."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def active_user_by_username(username: str):
    """The active account with this username, or None. Callers that act on it (assigning an
    expert, inviting a member) answer a missing and an unsuitable account alike."""
    return get_user_model().objects.filter(username=username, is_active=True).first()
