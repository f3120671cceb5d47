"""Sign-in through the enterprise portal (OpenID Connect), with mozilla-django-oidc.

The library runs the authorization-code flow (with PKCE and a nonce) and checks the id token's
signature against the provider's keys; this backend adds what it leaves out: the endpoints from the
provider's discovery document, the id token's issuer and audience, and the account, which is not
made here but by the one directory service (accounts/directory.py) from a
`DirectoryIdentity(source="oidc")`: the same creation, refresh, group -> grant mapping and clash
refusal as an LDAP account.

Whatever goes wrong with the provider (down, slow, an error answer, a bad token) marks the request
(`mark_directory_problem`) and returns None: the callback view turns the mark into a message on the
login page. Tokens are never logged: a failure is logged by its kind and HTTP status only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from platform_core.http import client_ip

from .directory import (
    DirectoryIdentity,
    DirectoryRefusal,
    DirectoryUnavailable,
    directory_sign_in,
    mark_directory_problem,
    mark_directory_unavailable,
)
from .models import User

logger = logging.getLogger(__name__)

# A mark (accounts/directory.py) for a provider that answered, but not with a sign-in.
PORTAL_ERROR = "portal_error"

# The discovery document changes when the provider rotates its endpoints, which is rare; its keys
# are fetched at each sign-in by the library.
METADATA_SECONDS = 600


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document (cached); DirectoryUnavailable when it cannot be read."""
    url = settings.OIDC_DISCOVERY_URL
    key = f"oidc-metadata:{url}"
    metadata = cache.get(key)
    if metadata is not None:
        return metadata
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning(
            "the OpenID Connect provider's discovery document cannot be read: %s", type(exc).__name__
        )
        raise DirectoryUnavailable("the OpenID Connect provider cannot be reached") from exc
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(metadata, dict) or not all(isinstance(metadata.get(name), str) for name in required):
        logger.warning("the OpenID Connect provider's discovery document lacks %s", ", ".join(required))
        raise DirectoryUnavailable("the OpenID Connect provider's discovery document is incomplete")
    if settings.OIDC_ISSUER and metadata["issuer"].rstrip("/") != settings.OIDC_ISSUER:
        logger.warning("the OpenID Connect provider names the issuer %r, not OIDC_ISSUER", metadata["issuer"])
        raise DirectoryUnavailable("the OpenID Connect provider names another issuer")
    cache.set(key, metadata, METADATA_SECONDS)
    return metadata


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value)


def identity_from_claims(claims: Mapping[str, Any]) -> DirectoryIdentity:
    """A person as the portal's claims describe them (settings.OIDC_CLAIMS names the claims)."""
    names: Mapping[str, str] = settings.OIDC_CLAIMS

    def claim(key: str) -> str:
        return _text(claims.get(names[key])) if names.get(key) else ""

    raw_groups = claims.get(names["groups"]) if names.get("groups") else None
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    groups = frozenset(_text(group) for group in raw_groups or () if _text(group))
    return DirectoryIdentity(
        source=User.Source.OIDC,
        external_id=_text(claims.get("sub")),
        username=claim("username"),
        first_name=claim("given_name"),
        last_name=claim("family_name"),
        display_name=claim("name"),
        email=claim("email"),
        unit_name=claim("unit"),
        job_title=claim("title"),
        phone=claim("phone"),
        groups=groups,
    )


class PortalBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend for every password sign-in: nothing from the network here
        # (the library's own __init__ wants the endpoints, which come from discovery).
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.issuer = ""

    def authenticate(self, request, nonce=None, code_verifier=None, **credentials):
        # Only the callback view (a code, a state and the nonce it kept) signs in here; a password
        # sign-in passes by.
        if request is None or nonce is None or credentials:
            return None
        try:
            metadata = provider_metadata()
            self.issuer = metadata["issuer"]
            self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint") or ""
            self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except (DirectoryUnavailable, requests.ConnectionError, requests.Timeout) as exc:
            logger.warning("portal sign-in failed: the provider cannot be reached (%s)", type(exc).__name__)
            mark_directory_unavailable(request)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            logger.warning("portal sign-in failed: the provider answered HTTP %s", status)
            mark_directory_problem(request, PORTAL_ERROR)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            logger.warning("portal sign-in failed: %s", type(exc).__name__)
            mark_directory_problem(request, PORTAL_ERROR)
        return None

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the issuer and audience here
        (OpenID Connect Core 3.1.3.7)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.issuer or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("the id token was issued by another provider or for another client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo and userinfo.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.4: the userinfo must be the id token's person.
            raise SuspiciousOperation("the userinfo names another subject than the id token")
        identity = identity_from_claims({**payload, **userinfo})
        try:
            return directory_sign_in(identity, ip_address=client_ip(self.request))
        except DirectoryRefusal as refusal:
            mark_directory_problem(self.request, refusal.code)
            return None
