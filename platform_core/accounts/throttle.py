"""A brake on password guessing, shared by every way in (login page, admin login, API tokens):
after LOGIN_MAX_FAILURES failed attempts for one username from one address, further attempts are
refused for LOGIN_LOCKOUT_SECONDS."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import Promise

from platform_core.http import client_ip

StrOrPromise = str | Promise


def _key(username: str, request) -> str:
    address = client_ip(request) if request is not None else ""
    digest = hashlib.sha256(f"{username.strip().lower()[:150]}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def login_locked_out(username: str, request) -> bool:
    return cache.get(_key(username, request), 0) >= settings.LOGIN_MAX_FAILURES


def record_login_failure(username: str, request) -> None:
    key = _key(username, request)
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


class ThrottledLoginMixin:
    """For Django authentication forms: refuse while locked out, count each failure."""

    throttled_message: StrOrPromise = ""

    def clean(self):
        from django import forms

        username = self.data.get("username") or ""
        if login_locked_out(username, self.request):
            raise forms.ValidationError(self.throttled_message, code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            record_login_failure(username, self.request)
            raise
