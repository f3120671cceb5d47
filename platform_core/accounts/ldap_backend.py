"""Signing in against LDAP / Active Directory: django-auth-ldap finds the person and checks the
password; accounts/directory.py makes the account (settings from ldap_config.py).

In AUTHENTICATION_BACKENDS after Django's ModelBackend (only when LDAP_SERVER_URI is set), so local
accounts sign in without asking the directory, and directory accounts, which have no local
password, fall through to it. Both the login form and the API token endpoint authenticate through
`django.contrib.auth.authenticate`, hence through this backend and behind the same login brake.
"""

from __future__ import annotations

import logging
import uuid
from types import SimpleNamespace

import ldap
from django.conf import settings
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error

from platform_core.http import client_ip

from .directory import (
    DirectoryIdentity,
    DirectoryRefusal,
    DirectoryUnavailable,
    directory_sign_in,
    directory_unavailable,
    mark_directory_problem,
    mark_directory_unavailable,
)
from .models import User

logger = logging.getLogger(__name__)


class DirectoryLDAPBackend(LDAPBackend):
    def get_or_build_user(self, username, ldap_user):
        """django-auth-ldap's hook once the password is checked: the directory service makes or
        refreshes the account (never built here, so django-auth-ldap saves nothing itself)."""
        request = getattr(ldap_user, "_request", None)
        try:
            identity = ldap_identity(ldap_user)
            user = directory_sign_in(identity, ip_address=client_ip(request) if request is not None else None)
        except DirectoryRefusal as refusal:
            mark_directory_problem(request, refusal.code)
            raise ldap_user.AuthenticationFailed(str(refusal)) from refusal
        return user, False

    def lookup(self, user: User) -> DirectoryIdentity | None:
        """The person behind `user` as the directory describes them now, or None when the search
        (its filter excludes disabled people) no longer returns them. DirectoryUnavailable when the
        directory cannot be asked: that must never read as "gone"."""
        probe = SimpleNamespace()  # django-auth-ldap reports errors with the request; this stands for one
        ldap_user = _LDAPUser(self, username=user.username, request=probe)
        try:
            attrs = ldap_user.attrs  # searches with the service account; errors are reported, not raised
            if directory_unavailable(probe):
                raise DirectoryUnavailable(user.username)
            if attrs is None:
                return None
            return ldap_identity(ldap_user)
        except ldap.LDAPError as exc:
            raise DirectoryUnavailable(user.username) from exc
        except DirectoryRefusal:
            return None


@receiver(ldap_error)
def note_directory_unavailable(sender, context, user, request=None, exception=None, **kwargs) -> None:
    """django-auth-ldap logs an error reaching the directory and goes on as for a wrong password;
    the request is marked so the login page and the token endpoint say what happened."""
    logger.warning("directory unavailable (%s): %s", context, exception)
    mark_directory_unavailable(request)


def ldap_identity(ldap_user) -> DirectoryIdentity:
    """A DirectoryIdentity from django-auth-ldap's view of a person (`.dn`, `.attrs`, `.group_names`)."""
    names = settings.DIRECTORY_LDAP_ATTRIBUTES
    attrs = ldap_user.attrs or {}

    def first(key: str) -> str:
        attribute = names.get(key, "")
        values = (attrs.get(attribute) or []) if attribute else []
        if not values:
            return ""
        value = values[0]
        if isinstance(value, bytes):  # not text: Active Directory's objectGUID
            return str(uuid.UUID(bytes_le=value)) if len(value) == 16 else value.hex()
        return str(value)

    external_id = first("id")
    if not external_id:
        logger.warning("the directory entry %s has no %s: set LDAP_ATTR_ID", ldap_user.dn, names.get("id"))
        raise DirectoryRefusal("incomplete", "the directory entry has no id attribute")
    groups: frozenset[str] = frozenset()
    if ldap_user.settings.GROUP_SEARCH is not None:
        groups = frozenset(name for name in ldap_user.group_names if name)
    return DirectoryIdentity(
        source=User.Source.LDAP,
        external_id=external_id,
        username=first("username") or ldap_user._username,
        first_name=first("first_name"),
        last_name=first("last_name"),
        display_name=first("display_name"),
        email=first("email"),
        unit_name=first("unit"),
        unit_code=first("unit_code"),
        job_title=first("title"),
        phone=first("phone"),
        groups=groups,
    )
