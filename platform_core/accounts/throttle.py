"""A brake on password guessing, shared by every way in (login page, admin login, API tokens):
after LOGIN_MAX_FAILURES failed attempts for one username from one address, further attempts are
refused for LOGIN_LOCKOUT_SECONDS.

The brake is keyed on the username as authentication will see it, so spellings that log into the
same account share one count: the login forms normalise a username to NFKC (`ｅxpert2`, with a
full-width letter, is `expert2`) and the key also folds case, which can only merge counts, never
split them."""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.utils.functional import Promise

from platform_core.http import client_ip
from platform_core.throttle_store import throttle_store

StrOrPromise = str | Promise

# Longer input cannot be a username (150 characters at most); bound the work spent on it.
MAX_USERNAME_INPUT = 1000


def username_key(username: object) -> str:
    """The username as every login path compares it. Never raises, whatever the client sent."""
    if isinstance(username, int | float) and not isinstance(username, bool):
        username = str(username)  # what the token endpoint's CharField makes of a JSON number
    if not isinstance(username, str):
        return ""
    text = unicodedata.normalize("NFKC", username[:MAX_USERNAME_INPUT].strip())
    # Case folding can leave a string that is no longer in NFKC (e.g. "ǰ"), so normalise again.
    return unicodedata.normalize("NFKC", text.casefold()).strip()


def _key(username: object, request) -> str:
    address = client_ip(request) if request is not None else ""
    # surrogatepass: a JSON body can carry a lone surrogate, which plain UTF-8 refuses to encode.
    material = f"{username_key(username)}|{address}".encode("utf-8", "surrogatepass")
    return f"login-failures:{hashlib.sha256(material).hexdigest()}"


def login_locked_out(username: object, request) -> bool:
    return (throttle_store.get(_key(username, request)) or 0) >= settings.LOGIN_MAX_FAILURES


def record_login_failure(username: object, request) -> None:
    throttle_store.increment(_key(username, request), settings.LOGIN_LOCKOUT_SECONDS)


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
