"""Small template helpers of the challenge pages."""

from __future__ import annotations

from django import template

from challenges.models import Challenge

register = template.Library()


@register.filter
def state_label(state: str) -> str:
    """The readable label of a challenge state (the effective state a selector annotated)."""
    return str(Challenge.State(state).label) if state in Challenge.State.values else state


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
