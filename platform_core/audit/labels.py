"""Readable names of the audit actions, and which actions are sealed. Each app registers its own in
its `events.py`, so the audit app knows no domain; an action nobody registered shows as its code.

A sealed action's entries reveal something only superusers may read (a bid's entries name the
bidder): the admin and every history page show them to superusers only (`visible_to`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}
_sealed: set[str] = set()


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    for action, label in labels.items():
        # Two apps claiming one action would make the trail ambiguous: refuse at start-up.
        if action in _labels:
            raise ImproperlyConfigured(f"audit action {action!r} is registered twice")
        _labels[action] = label


def action_label(action: str) -> str:
    return str(_labels.get(action, action))


def register_sealed_actions(actions: Iterable[str]) -> None:
    _sealed.update(actions)


def is_sealed(action: str) -> bool:
    return action in _sealed


def visible_to(user, entries: QuerySet) -> QuerySet:
    """`entries` (audit entries) without the sealed ones, unless `user` is a superuser."""
    if user.is_active and user.is_superuser:
        return entries
    return entries.exclude(action__in=sorted(_sealed))
