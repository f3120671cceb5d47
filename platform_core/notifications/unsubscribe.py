"""The one-click unsubscribe link of every notification mail: a signed token naming the person and
the settings to turn off. It works without logging in (a mail client's RFC 8058 POST has no session)
and never expires; it can do nothing but turn e-mail off for its own person."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


def unsubscribe_token(user_id: int, keys: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(keys))}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user id, setting keys); raises signing.BadSignature for anything not signed by us."""
    data = signing.loads(token, salt=SALT)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("k"), list)
    ):
        raise signing.BadSignature("malformed unsubscribe token")
    keys = [key for key in data["k"] if isinstance(key, str)]
    return data["u"], keys


def absolute(path: str) -> str:
    """A link back to the platform, for a mail: SITE_URL and the path."""
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int, keys: list[str]) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, keys)]))
