"""Language helpers."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def platform_language():
    """Stored texts written for someone else (a notification) use the platform's language, not the
    language of whoever's request caused them."""
    return translation.override(settings.LANGUAGE_CODE)
