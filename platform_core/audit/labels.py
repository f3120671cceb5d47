"""Readable names of the audit actions. Each app registers its own in its `events.py`, so the audit
app knows no domain; an action nobody registered shows as its code."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    for action, label in labels.items():
        # Two apps claiming one action would make the trail ambiguous: refuse at start-up.
        if action in _labels:
            raise ImproperlyConfigured(f"audit action {action!r} is registered twice")
        _labels[action] = label


def action_label(action: str) -> str:
    return str(_labels.get(action, action))
