"""Cleaning user text before it is stored.

Plain-text fields are stored as typed, minus control characters, and are always HTML-escaped when
rendered (Django's autoescape; never `|safe`). Fields that accept markup go through `clean_html`,
an allowlist sanitiser, so stored HTML can be rendered as is.
"""

from __future__ import annotations

import re

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_plain_text(value: str, *, max_length: int | None = None) -> str:
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text[:max_length] if max_length else text


def clean_html(value: str) -> str:
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def clean_tags(values: list[str] | str, *, max_items: int = 12, max_length: int = 30) -> list[str]:
    """A short list of labels (fields of work, expertise) from a list or a comma/、-separated string."""
    if isinstance(values, str):
        values = re.split(r"[,，、;；\n]", values)
    seen: list[str] = []
    for value in values:
        label = clean_plain_text(str(value), max_length=max_length)
        if label and label not in seen:
            seen.append(label)
    return seen[:max_items]
