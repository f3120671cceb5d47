"""Writes to accounts."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.images import reencode_avatar
from platform_core.text import clean_line
from platform_core.uploads import AVATAR

from . import events
from .models import User

# The profile fields a user types; each is stored through the platform's one text rule.
PROFILE_TEXT_FIELDS = ("first_name", "last_name", "display_name", "job_title")


def user_profile_update(*, user, changed_fields: list[str], ip_address: str | None = None) -> None:
    """Save the profile fields a user changed, and only those.

    Never the whole row: an admin may have disabled the account or reset its password since the
    form was loaded, and a full save would write the old values back. Text is cleaned and a new
    avatar decoded and encoded afresh here, whoever calls (a ValidationError if it is no picture);
    the picture it replaces is deleted once the change is committed.
    """
    if not changed_fields:
        return
    for field in PROFILE_TEXT_FIELDS:
        if field in changed_fields:
            max_length = getattr(User._meta.get_field(field), "max_length", None)
            setattr(user, field, clean_line(getattr(user, field), max_length=max_length))
    replaced_avatar = ""
    if "avatar" in changed_fields:
        replaced_avatar = User.objects.filter(pk=user.pk).values_list("avatar", flat=True).first() or ""
        if user.avatar and not user.avatar._committed:
            AVATAR.admit(user.avatar)
            user.avatar = reencode_avatar(user.avatar)
    with transaction.atomic():
        user.save(update_fields=changed_fields)
        audit_record(
            actor=user,
            action=events.PROFILE_UPDATED,
            target=user,
            ip_address=ip_address,
            data={"fields": changed_fields},
        )
        if replaced_avatar and replaced_avatar != user.avatar.name:
            transaction.on_commit(partial(user.avatar.storage.delete, replaced_avatar))


def user_set_active(*, actor, user, active: bool, ip_address: str | None = None) -> None:
    """Disable or re-enable an account. Either change ends all of the user's sessions
    (accounts/signals.py), so a re-enabled account starts from a fresh login."""
    if not (actor.is_superuser or actor.has_perm("accounts.change_user")):
        raise PermissionDenied(_("Only an administrator may disable or enable accounts."))
    _save_active(
        user=user,
        active=active,
        actor=actor,
        action="user.enabled" if active else "user.disabled",
        ip_address=ip_address,
    )


def user_set_active_by_platform(
    *,
    user,
    active: bool,
    action: str,
    ip_address: str | None = None,
    data: dict | None = None,
    also: dict | None = None,
) -> bool:
    """The same change made by the platform itself, with no actor (the directory disabling a person
    it no longer returns, accounts/directory.py): audited under `action`; `also` sets more fields in
    the same save. False if the account already was so."""
    return _save_active(
        user=user, active=active, actor=None, action=action, ip_address=ip_address, data=data, also=also
    )


def _save_active(
    *,
    user,
    active: bool,
    actor,
    action: str,
    ip_address: str | None,
    data: dict | None = None,
    also: dict | None = None,
) -> bool:
    if user.is_active == active:
        return False
    user.is_active = active
    for field, value in (also or {}).items():
        setattr(user, field, value)
    with transaction.atomic():
        user.save(update_fields=["is_active", *(also or {})])
        audit_record(actor=actor, action=action, target=user, ip_address=ip_address, data=data)
    return True
