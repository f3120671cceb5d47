"""Password reset by e-mail for local accounts (Django's reset flow, frontend/views/password_reset.py).

- Rate-limited in the login brake's store (platform_core/throttle_store.py): at most
  PASSWORD_RESET_PER_ADDRESS requests for one address and PASSWORD_RESET_PER_IP from one client
  address per PASSWORD_RESET_WINDOW_SECONDS, counted whether or not the address belongs to anyone,
  so the limit tells nothing either.
- The answer never says whether an address exists: the same page follows every request.
- Only active accounts with a usable password get a mail (Django's PasswordResetForm.get_users):
  accounts from the enterprise directory, and imported people who never set a password, have none.
- The mail goes through the outbox (platform_core/notifications/outbox.py) and is sent by the
  periodic job within its interval, never by the request.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings

from platform_core.throttle_store import throttle_store


def _address_key(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    digest = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()
    return f"password-reset:address:{digest}"


def _ip_key(ip: str) -> str:
    return f"password-reset:ip:{hashlib.sha256(ip.encode()).hexdigest()}"


def password_reset_throttled(*, email: str, ip: str | None) -> bool:
    """Count this request; True when it is over either limit (then nothing is to be sent)."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    by_address = throttle_store.increment(_address_key(email), window)
    by_ip = throttle_store.increment(_ip_key(ip or "-"), window)
    return by_address > settings.PASSWORD_RESET_PER_ADDRESS or by_ip > settings.PASSWORD_RESET_PER_IP
