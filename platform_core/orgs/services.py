"""Every write to studios. Checks permission, saves, records audit, emits live events after commit."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.notifications.services import notification_create, verbatim
from platform_core.realtime.services import emit
from platform_core.text import clean_plain_text, clean_tags

from . import events, permissions
from .models import Studio, StudioMembership


def _studio_url(studio: Studio) -> str:
    return f"/studios/{studio.pk}/"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(studio: Studio) -> Studio:
    return Studio.objects.select_for_update().get(pk=studio.pk)


def studio_create(*, actor, studio: Studio, ip_address: str | None = None) -> Studio:
    """Name a new studio (`studio` is built but not saved). Its leader is a member from the day it
    was founded: the one place that rule is kept."""
    _require(
        permissions.can_create_studio(actor, studio.unit),
        _("Only a union admin over this unit may name a studio in it."),
    )
    studio.description = clean_plain_text(studio.description, max_length=4000)
    studio.fields = clean_tags(studio.fields)
    studio.status = Studio.Status.ACTIVE
    studio.full_clean()
    with transaction.atomic():
        studio.save()
        StudioMembership.objects.create(
            studio=studio,
            user=studio.leader,
            role=StudioMembership.Role.LEADER,
            joined_on=studio.founded_on or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action=events.STUDIO_CREATED,
            target=studio,
            ip_address=ip_address,
            data={"unit_id": studio.unit_id, "leader_id": studio.leader_id},
        )
        # Nobody follows the topic of a studio that did not exist; the leader learns it on their own.
        with platform_language():
            notification_create(
                recipient=studio.leader,
                kind=events.STUDIO_CREATED,
                title=lambda: _("You lead the new studio %(studio)s") % {"studio": studio.name},
                url=_studio_url(studio),
            )
    return studio


def studio_member_add(
    *,
    actor,
    studio: Studio,
    user,
    role: str = StudioMembership.Role.MEMBER,
    joined_on: datetime.date | None = None,
    ip_address: str | None = None,
) -> StudioMembership:
    refused = _("Only the studio's leader or a union admin over it may add members.")
    _require(permissions.can_manage_members(actor, studio), refused)
    if role not in StudioMembership.Role.values or role == StudioMembership.Role.LEADER:
        raise ValidationError({"role": _("Choose a member role; the leader is set on the studio.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    with transaction.atomic():
        studio = _locked(studio)
        # Checked again on the locked row: a delisting may have committed since the first check.
        _require(permissions.can_manage_members(actor, studio), refused)
        if StudioMembership.objects.filter(studio=studio, user=user).exists():
            raise ValidationError({"user": _("%(name)s is already a member.") % {"name": user}})
        membership = StudioMembership.objects.create(
            studio=studio, user=user, role=role, joined_on=joined_on or timezone.localdate()
        )
        audit_record(
            actor=actor,
            action=events.MEMBER_ADDED,
            target=studio,
            ip_address=ip_address,
            data={"user_id": user.pk, "role": role},
        )
        emit(studio.topic, events.MEMBER_ADDED, events.member_added(membership))
        with platform_language():
            notification_create(
                recipient=user,
                kind=events.MEMBER_ADDED,
                title=lambda: _("You joined the studio %(studio)s") % {"studio": studio.name},
                body=lambda: (
                    _("%(actor)s added you as %(role)s.")
                    % {"actor": actor, "role": membership.get_role_display()}
                ),
                url=_studio_url(studio),
            )
    return membership


def _check_removal(actor, studio: Studio, user) -> None:
    if actor.pk != user.pk:
        _require(
            permissions.can_manage_members(actor, studio),
            _("Only the studio's leader or a union admin over it may remove members."),
        )
    if studio.leader_id == user.pk:
        raise ValidationError({"user": _("The leader cannot leave; hand the studio to a new leader first.")})


def studio_member_remove(*, actor, studio: Studio, user, ip_address: str | None = None) -> None:
    _check_removal(actor, studio, user)
    with transaction.atomic():
        studio = _locked(studio)
        # Checked again on the locked row: a delisting or a new leader may have committed since.
        _check_removal(actor, studio, user)
        deleted, _detail = StudioMembership.objects.filter(studio=studio, user=user).delete()
        if not deleted:
            raise ValidationError({"user": _("%(name)s is not a member.") % {"name": user}})
        audit_record(
            actor=actor,
            action=events.MEMBER_REMOVED,
            target=studio,
            ip_address=ip_address,
            data={"user_id": user.pk},
        )
        # The removal event ends the member's live access: every delivery path meets it in seq
        # order, so the member gets nothing from it on (unless an admin over the unit).
        still_sees = permissions.admin_covers_unit(user, studio.unit)
        emit(
            studio.topic,
            events.MEMBER_REMOVED,
            events.member_removed(user),
            revoke=[] if still_sees else [user.pk],
        )
        if actor.pk != user.pk:
            with platform_language():
                notification_create(
                    recipient=user,
                    kind=events.MEMBER_REMOVED,
                    title=lambda: _("You are no longer a member of %(studio)s") % {"studio": studio.name},
                    url="/studios/",
                )


def studio_update(
    *,
    actor,
    studio: Studio,
    description: str | None = None,
    fields: list[str] | str | None = None,
    ip_address: str | None = None,
) -> Studio:
    _require(
        permissions.can_edit_studio(actor, studio),
        _("Only the studio's leader or a union admin over it may edit it."),
    )
    changed: list[str] = []
    if description is not None:
        studio.description = clean_plain_text(description, max_length=4000)
        changed.append("description")
    if fields is not None:
        studio.fields = clean_tags(fields)
        changed.append("fields")
    if not changed:
        return studio
    with transaction.atomic():
        studio.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=events.STUDIO_UPDATED,
            target=studio,
            ip_address=ip_address,
            data={"fields": changed},
        )
        emit(studio.topic, events.STUDIO_UPDATED, events.studio_updated(studio))
    return studio


def _set_status(*, actor, studio: Studio, delisted: bool, reason: str, ip_address: str | None) -> Studio:
    """Delist or reinstate on the locked row: audited, announced live, the leader notified."""
    with transaction.atomic():
        studio = _locked(studio)
        if delisted and not studio.is_active:
            raise ValidationError({"status": _("The studio is already delisted.")})
        if not delisted and studio.is_active:
            raise ValidationError({"status": _("The studio is not delisted.")})
        studio.status = Studio.Status.DELISTED if delisted else Studio.Status.ACTIVE
        studio.delisted_reason = reason
        studio.delisted_at = timezone.now() if delisted else None
        studio.save(update_fields=["status", "delisted_reason", "delisted_at"])
        action = events.STUDIO_DELISTED if delisted else events.STUDIO_REINSTATED
        audit_record(
            actor=actor,
            action=action,
            target=studio,
            ip_address=ip_address,
            data={"reason": reason} if delisted else None,
        )
        payload = events.studio_delisted(studio) if delisted else events.studio_reinstated(studio)
        emit(studio.topic, action, payload)
        with platform_language():
            notification_create(
                recipient=studio.leader,
                kind=action,
                title=lambda: (
                    (_("%(studio)s has been delisted") if delisted else _("%(studio)s has been reinstated"))
                    % {"studio": studio.name}
                ),
                body=verbatim(reason),
                url=_studio_url(studio),
            )
    return studio


def studio_delist(*, actor, studio: Studio, reason: str, ip_address: str | None = None) -> Studio:
    """摘牌: a union admin withdraws a studio's title after an assessment it failed."""
    _require(
        permissions.can_delist_studio(actor, studio),
        _("Only a union admin over this studio's unit may delist it."),
    )
    reason = clean_plain_text(reason, max_length=1000)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for delisting.")})
    return _set_status(actor=actor, studio=studio, delisted=True, reason=reason, ip_address=ip_address)


def studio_reinstate(*, actor, studio: Studio, ip_address: str | None = None) -> Studio:
    _require(
        permissions.can_delist_studio(actor, studio),
        _("Only a union admin over this studio's unit may reinstate it."),
    )
    return _set_status(actor=actor, studio=studio, delisted=False, reason="", ip_address=ip_address)
