"""Stored Markdown of consultations and Q&A, shown as HTML: the rendered text goes through the
platform's one allowlist again at display (platform_core.text.sanitize_html), so no template marks
user text safe itself."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from platform_core.text import sanitize_html

register = template.Library()


@register.filter
def sanitized(fragment: str) -> SafeString:
    return mark_safe(sanitize_html(fragment or ""))  # noqa: S308  sanitised by the one allowlist just now
