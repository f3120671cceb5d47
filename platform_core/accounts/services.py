"""Writes to accounts."""

from __future__ import annotations

from django.db import transaction

from platform_core.audit.services import audit_record

from . import events


def user_profile_update(*, user, changed_fields: list[str], ip_address: str | None = None) -> None:
    """Save the profile fields a user changed, and only those.

    Never the whole row: an admin may have disabled the account or reset its password since the
    form was loaded, and a full save would write the old values back.
    """
    if not changed_fields:
        return
    with transaction.atomic():
        user.save(update_fields=changed_fields)
        audit_record(
            actor=user,
            action=events.PROFILE_UPDATED,
            target=user,
            ip_address=ip_address,
            data={"fields": changed_fields},
        )
