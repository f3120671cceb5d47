"""Small helpers of the showcase templates: facet links that toggle one parameter."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """An amount in yuan with thousands grouped (1,800,000), whole yuan unless it has fen."""
    if amount in (None, ""):
        return ""
    value = Decimal(amount)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, "")


@register.simple_tag
def toggle_param(query_string: str, name: str, value, selected: bool) -> str:
    """The query string with `name` set to `value` (or removed when it is selected), from page 1.
    Returned unescaped-safe: urlencode quotes every character that matters in an attribute."""
    params = QueryDict(query_string, mutable=True)
    params.pop("page", None)
    if selected:
        params.pop(name, None)
    else:
        params[name] = str(value)
    return params.urlencode()
