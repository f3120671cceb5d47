"""Every write to studios. Checks permission, saves, records audit, emits live events after commit."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.notifications.services import notification_create
from platform_core.realtime.services import emit
from platform_core.text import clean_plain_text, clean_tags

from . import permissions
from .models import Studio, StudioMembership


def _member_payload(membership: StudioMembership) -> dict:
    return {
        "user_id": membership.user_id,
        "name": str(membership.user),
        "role": membership.role,
        "role_label": str(membership.get_role_display()),
        "joined_on": membership.joined_on.isoformat(),
    }


def studio_member_add(
    *,
    actor,
    studio: Studio,
    user,
    role: str = StudioMembership.Role.MEMBER,
    joined_on: datetime.date | None = None,
    ip_address: str | None = None,
) -> StudioMembership:
    if not permissions.can_manage_members(actor, studio):
        raise PermissionDenied(_("Only the studio's leader or a union admin over it may add members."))
    if role not in StudioMembership.Role.values or role == StudioMembership.Role.LEADER:
        raise ValidationError({"role": _("Choose a member role; the leader is set on the studio.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        # Checked again on the locked row: a delisting may have committed since the first check.
        if not permissions.can_manage_members(actor, studio):
            raise PermissionDenied(_("Only the studio's leader or a union admin over it may add members."))
        if StudioMembership.objects.filter(studio=studio, user=user).exists():
            raise ValidationError({"user": _("%(name)s is already a member.") % {"name": user}})
        membership = StudioMembership.objects.create(
            studio=studio, user=user, role=role, joined_on=joined_on or timezone.localdate()
        )
        audit_record(
            actor=actor,
            action="studio.member_added",
            target=studio,
            ip_address=ip_address,
            data={"user_id": user.pk, "role": role},
        )
        emit(studio.topic, "studio.member_added", {"member": _member_payload(membership)})
        with platform_language():
            notification_create(
                recipient=user,
                kind="studio.member_added",
                title=_("You joined the studio %(studio)s") % {"studio": studio.name},
                body=_("%(actor)s added you as %(role)s.")
                % {"actor": actor, "role": membership.get_role_display()},
                url=f"/studios/{studio.pk}/",
            )
    return membership


def studio_member_remove(*, actor, studio: Studio, user, ip_address: str | None = None) -> None:
    leaving_by_choice = actor.pk == user.pk
    if not leaving_by_choice and not permissions.can_manage_members(actor, studio):
        raise PermissionDenied(_("Only the studio's leader or a union admin over it may remove members."))
    if studio.leader_id == user.pk:
        raise ValidationError({"user": _("The leader cannot leave; hand the studio to a new leader first.")})
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        deleted, _detail = StudioMembership.objects.filter(studio=studio, user=user).delete()
        if not deleted:
            raise ValidationError({"user": _("%(name)s is not a member.") % {"name": user}})
        audit_record(
            actor=actor,
            action="studio.member_removed",
            target=studio,
            ip_address=ip_address,
            data={"user_id": user.pk},
        )
        # The removal event ends the member's live access: every delivery path meets it in seq
        # order, so the member gets nothing from it on (unless an admin over the unit).
        still_sees = permissions.admin_covers_unit(user, studio.unit)
        emit(
            studio.topic,
            "studio.member_removed",
            {"user_id": user.pk, "name": str(user)},
            revoke=[] if still_sees else [user.pk],
        )
        if not leaving_by_choice:
            with platform_language():
                notification_create(
                    recipient=user,
                    kind="studio.member_removed",
                    title=_("You are no longer a member of %(studio)s") % {"studio": studio.name},
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
    if not permissions.can_edit_studio(actor, studio):
        raise PermissionDenied(_("Only the studio's leader or a union admin over it may edit it."))
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
            action="studio.updated",
            target=studio,
            ip_address=ip_address,
            data={"fields": changed},
        )
        emit(
            studio.topic,
            "studio.updated",
            {"description": studio.description, "fields": studio.fields},
        )
    return studio


def studio_delist(*, actor, studio: Studio, reason: str, ip_address: str | None = None) -> Studio:
    """摘牌: a union admin withdraws a studio's title after an assessment it failed."""
    if not permissions.can_delist_studio(actor, studio):
        raise PermissionDenied(_("Only a union admin over this studio's unit may delist it."))
    reason = clean_plain_text(reason, max_length=1000)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for delisting.")})
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        if not studio.is_active:
            raise ValidationError({"status": _("The studio is already delisted.")})
        studio.status = Studio.Status.DELISTED
        studio.delisted_reason = reason
        studio.delisted_at = timezone.now()
        studio.save(update_fields=["status", "delisted_reason", "delisted_at"])
        audit_record(
            actor=actor,
            action="studio.delisted",
            target=studio,
            ip_address=ip_address,
            data={"reason": reason},
        )
        emit(studio.topic, "studio.delisted", {"reason": reason})
        with platform_language():
            notification_create(
                recipient=studio.leader,
                kind="studio.delisted",
                title=_("%(studio)s has been delisted") % {"studio": studio.name},
                body=reason,
                url=f"/studios/{studio.pk}/",
            )
    return studio


def studio_reinstate(*, actor, studio: Studio, ip_address: str | None = None) -> Studio:
    if not permissions.can_delist_studio(actor, studio):
        raise PermissionDenied(_("Only a union admin over this studio's unit may reinstate it."))
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        if studio.is_active:
            raise ValidationError({"status": _("The studio is not delisted.")})
        studio.status = Studio.Status.ACTIVE
        studio.delisted_reason = ""
        studio.delisted_at = None
        studio.save(update_fields=["status", "delisted_reason", "delisted_at"])
        audit_record(actor=actor, action="studio.reinstated", target=studio, ip_address=ip_address)
        emit(studio.topic, "studio.reinstated", {})
        with platform_language():
            notification_create(
                recipient=studio.leader,
                kind="studio.reinstated",
                title=_("%(studio)s has been reinstated") % {"studio": studio.name},
                url=f"/studios/{studio.pk}/",
            )
    return studio
