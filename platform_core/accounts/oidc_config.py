"""The OpenID Connect settings, read from the OIDC_* environment (docs/deployment.md, "Enterprise
portal sign-in (OpenID Connect)"). Imported by settings.py only when OIDC_CLIENT_ID is set, so a
platform without a portal needs none of this.

The provider's endpoints are not settings: they come from its discovery document
(accounts/oidc_backend.provider_metadata), read when someone signs in.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

OIDC_BACKEND = "platform_core.accounts.oidc_backend.PortalBackend"

# The claims a DirectoryIdentity is read from, by default the standard ones (OpenID Connect Core
# §5.1) and the common `groups` / `department`.
CLAIM_DEFAULTS = {
    "username": "preferred_username",
    "name": "name",
    "given_name": "given_name",
    "family_name": "family_name",
    "email": "email",
    "unit": "department",
    "title": "title",
    "phone": "phone_number",
    "groups": "groups",
}


def _secret(environ: Mapping[str, str], name: str) -> str:
    path = environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return environ.get(name, "")


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "")
    return default if value == "" else value.strip().lower() in {"1", "true", "yes", "on"}


def oidc_settings(environ: Mapping[str, str]) -> dict[str, object]:
    """Django settings (mozilla-django-oidc's OIDC_RP_* and ours) from the OIDC_* environment."""
    discovery = environ.get("OIDC_DISCOVERY_URL", "").strip()
    issuer = environ.get("OIDC_ISSUER", "").strip().rstrip("/")
    if not discovery and issuer:
        discovery = f"{issuer}/.well-known/openid-configuration"
    if not discovery:
        raise ImproperlyConfigured("OIDC_CLIENT_ID is set: OIDC_ISSUER or OIDC_DISCOVERY_URL is required too")
    secret = _secret(environ, "OIDC_CLIENT_SECRET")
    if not secret:
        raise ImproperlyConfigured("OIDC_CLIENT_ID is set: OIDC_CLIENT_SECRET (or its _FILE) is required too")
    try:
        timeout = int(environ.get("OIDC_TIMEOUT", "") or 10)
    except ValueError as exc:
        raise ImproperlyConfigured("OIDC_TIMEOUT must be a number of seconds") from exc
    claims = {
        key: environ.get(f"OIDC_CLAIM_{key.upper()}", default).strip()
        for key, default in CLAIM_DEFAULTS.items()
    }
    return {
        "OIDC_DISCOVERY_URL": discovery,
        "OIDC_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": environ["OIDC_CLIENT_ID"].strip(),
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SCOPES": environ.get("OIDC_SCOPES", "").strip() or "openid profile email",
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_SIGN_ALGO", "").strip() or "RS256",
        "OIDC_CLAIMS": claims,
        "OIDC_LOGOUT_AT_PORTAL": _bool(environ, "OIDC_LOGOUT_AT_PORTAL", True),
        "OIDC_VERIFY_SSL": _bool(environ, "OIDC_VERIFY_SSL", True),
        "OIDC_TIMEOUT": timeout,
        # Fixed choices, not settings: PKCE and a nonce on every sign-in; the id token is kept in
        # the session (never in a log) for the portal's sign-out (id_token_hint).
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc:callback",
        "OIDC_CREATE_USER": True,
    }


def oidc_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)
