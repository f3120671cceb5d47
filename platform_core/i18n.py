"""Language helpers."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def platform_language():
    """Stored texts written for someone else use the platform's language, not the language of
    whoever's request caused them. (Notifications no longer need it: notify renders their text in
    every language itself.)"""
    return translation.override(settings.LANGUAGE_CODE)


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Pages speak simplified Chinese unless the visitor chose English with the switcher (the
    language cookie). The browser's Accept-Language is not asked: the platform's users work in
    Chinese, and an engineer's English-language browser on a shared workshop PC should not turn
    the interface English for everyone who uses it. API clients still negotiate with
    Accept-Language (an integration may want English error messages)."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
