"""Small helpers the alliance services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from platform_core.text import clean_line, clean_plain_text


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def required_line(value: str | None, *, field: str, message: str, max_length: int = 120) -> str:
    text = clean_line(value or "", max_length=max_length)
    if not text:
        raise ValidationError({field: message})
    return text


def optional_text(value: str | None, *, max_length: int = 8000) -> str:
    return clean_plain_text(value or "", max_length=max_length)
