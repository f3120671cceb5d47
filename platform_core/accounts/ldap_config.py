"""django-auth-ldap's settings, from the platform's LDAP_* environment (docs/deployment.md,
"Directory sign-in"). settings.py calls `ldap_settings(os.environ)` when LDAP_SERVER_URI is set; the
tests call it with their own directory's values. Imports python-ldap only when called."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

LDAP_BACKEND = "platform_core.accounts.ldap_backend.DirectoryLDAPBackend"


def directory_configured() -> bool:
    """Whether people may sign in with a directory account (the LDAP backend is on)."""
    from django.conf import settings

    return LDAP_BACKEND in settings.AUTHENTICATION_BACKENDS


# What each field of a DirectoryIdentity is read from (LDAP_ATTR_<KEY> overrides one); the
# defaults fit OpenLDAP's inetOrgPerson, docs/deployment.md has Active Directory's.
ATTRIBUTE_DEFAULTS = {
    "id": "entryUUID",
    "username": "uid",
    "first_name": "givenName",
    "last_name": "sn",
    "display_name": "displayName",
    "email": "mail",
    "unit": "ou",
    "unit_code": "departmentNumber",
    "title": "title",
    "phone": "telephoneNumber",
}

GROUP_TYPES = {
    "groupOfNames": "GroupOfNamesType",
    "nestedGroupOfNames": "NestedGroupOfNamesType",
    "groupOfUniqueNames": "GroupOfUniqueNamesType",
    "posixGroup": "PosixGroupType",
    "activeDirectory": "ActiveDirectoryGroupType",
    "nestedActiveDirectory": "NestedActiveDirectoryGroupType",
}


def ldap_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The AUTH_LDAP_* and DIRECTORY_LDAP_* settings for the directory `environ` describes."""
    import ldap
    from django_auth_ldap import config

    def get(name: str, default: str = "") -> str:
        return (environ.get(name) or default).strip()

    def number(name: str, default: int) -> int:
        try:
            return int(get(name, str(default)))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer") from exc

    user_base = get("LDAP_USER_SEARCH_BASE")
    if not user_base:
        raise ImproperlyConfigured("LDAP_SERVER_URI is set but LDAP_USER_SEARCH_BASE is not")
    password_file = get("LDAP_BIND_PASSWORD_FILE")
    if password_file:
        password = Path(password_file).read_text(encoding="utf-8").strip()
    else:
        password = get("LDAP_BIND_PASSWORD")
    attributes = {key: get(f"LDAP_ATTR_{key.upper()}", value) for key, value in ATTRIBUTE_DEFAULTS.items()}
    # Operational attributes such as entryUUID come back only when named.
    attrlist = ["*", attributes["id"]]
    timeout = number("LDAP_TIMEOUT", 5)
    # A directory that does not answer must not hold a login for long; AD's referrals are not followed.
    options: dict[int, Any] = {
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
    }
    ca_file = get("LDAP_CA_FILE")
    require_cert = get("LDAP_TLS_REQUIRE_CERT")
    if ca_file or require_cert:
        levels = {"demand": ldap.OPT_X_TLS_DEMAND, "hard": ldap.OPT_X_TLS_HARD, "never": ldap.OPT_X_TLS_NEVER}
        if require_cert and require_cert not in levels:
            raise ImproperlyConfigured(f"LDAP_TLS_REQUIRE_CERT must be one of {', '.join(levels)}")
        if ca_file:
            options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = levels[require_cert or "demand"]
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: a new TLS context with the options above
    values: dict[str, Any] = {
        "AUTH_LDAP_SERVER_URI": get("LDAP_SERVER_URI"),
        "AUTH_LDAP_BIND_DN": get("LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": password,
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, get("LDAP_USER_SEARCH_FILTER", "(uid=%(user)s)"), attrlist
        ),
        "AUTH_LDAP_USER_ATTRLIST": attrlist,
        "AUTH_LDAP_START_TLS": get("LDAP_START_TLS").lower() in {"1", "true", "yes", "on"},
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        # The account is made and refreshed by accounts/directory.py, not by django-auth-ldap.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        "DIRECTORY_LDAP_ATTRIBUTES": attributes,
        "DIRECTORY_LDAP_RECHECK_SECONDS": number("LDAP_RECHECK_SECONDS", 300),
        "DIRECTORY_LDAP_RECHECK_BATCH": number("LDAP_RECHECK_BATCH", 500),
    }
    group_base = get("LDAP_GROUP_SEARCH_BASE")
    if group_base:
        group_type = get("LDAP_GROUP_TYPE", "groupOfNames")
        if group_type not in GROUP_TYPES:
            raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}")
        values["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(
            group_base, ldap.SCOPE_SUBTREE, get("LDAP_GROUP_SEARCH_FILTER", "(objectClass=*)")
        )
        values["AUTH_LDAP_GROUP_TYPE"] = getattr(config, GROUP_TYPES[group_type])(
            name_attr=get("LDAP_GROUP_NAME_ATTR", "cn")
        )
    return values
