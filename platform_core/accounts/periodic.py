"""The accounts' periodic step (platform_core/periodic.py): with a directory configured, re-check
the accounts it made. A person it no longer returns (disabled, or outside the search filter) is
disabled here, which ends their sessions, websockets and API token; the others are refreshed (name,
unit, grants). Each account is re-checked once every LDAP_RECHECK_SECONDS; while the directory
cannot be reached nobody is disabled."""

from __future__ import annotations

import datetime

from django.conf import settings

from .ldap_config import directory_configured
from .models import User


def run(now: datetime.datetime) -> dict[str, int]:
    if not directory_configured():
        return {}
    from .directory import directory_recheck
    from .ldap_backend import DirectoryLDAPBackend

    return directory_recheck(
        source=User.Source.LDAP,
        lookup=DirectoryLDAPBackend().lookup,
        now=now,
        every_seconds=settings.DIRECTORY_LDAP_RECHECK_SECONDS,
        limit=settings.DIRECTORY_LDAP_RECHECK_BATCH,
    )
