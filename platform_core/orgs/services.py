"""Every write to studios. Checks permission, saves, records audit, emits live events after commit."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.notifications.services import notification_create, verbatim
from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text, clean_tags

from . import events, permissions
from .models import Studio, StudioMembership, Unit


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
    studio.name = clean_line(studio.name, max_length=120)
    studio.description = clean_plain_text(studio.description, max_length=4000)
    studio.fields = clean_tags(studio.fields)
    studio.status = Studio.Status.ACTIVE
    if not studio.leader.is_active:
        raise ValidationError({"leader": _("This account is disabled.")})
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


def _check_administer(actor, studio: Studio, unit: Unit | None) -> None:
    _require(
        permissions.can_administer_studio(actor, studio),
        _("Only a union admin over this studio's unit may change its name, leader, unit, type or level."),
    )
    if unit is not None and unit.pk != studio.unit_id:
        _require(
            permissions.can_create_studio(actor, unit),
            _("Only a union admin over both units may move a studio from one to the other."),
        )


def _hand_over(studio: Studio, new_leader, old_leader_id: int) -> None:
    """The new leader is a member in the leader's role; the former leader stays, as a core member."""
    StudioMembership.objects.filter(
        studio=studio, user_id=old_leader_id, role=StudioMembership.Role.LEADER
    ).update(role=StudioMembership.Role.CORE)
    updated = StudioMembership.objects.filter(studio=studio, user=new_leader).update(
        role=StudioMembership.Role.LEADER
    )
    if not updated:
        StudioMembership.objects.create(
            studio=studio, user=new_leader, role=StudioMembership.Role.LEADER, joined_on=timezone.localdate()
        )


def _no_longer_following(studio: Studio, old_unit: Unit) -> list[int]:
    """The union admins whose live access to the studio ended when it left their units. A studio
    moves rarely and the admins are few: asked one by one, with the rules themselves."""
    admins = get_user_model().objects.filter(admin_grants__isnull=False, is_superuser=False).distinct()
    return [
        admin.pk
        for admin in admins
        if permissions.admin_covers_unit(admin, old_unit)
        and not permissions.can_follow_studio_live(admin, studio)
    ]


def studio_administer(
    *,
    actor,
    studio: Studio,
    name: str | None = None,
    leader=None,
    unit: Unit | None = None,
    type: str | None = None,
    level: str | None = None,
    ip_address: str | None = None,
) -> Studio:
    """Rename a studio, change its leader, its unit, its type or its level (the union's acts over
    it, from the page and the API alike). Each change is its own audit entry and live event; what
    is given unchanged is left alone."""
    _check_administer(actor, studio, unit)
    errors: dict[str, str] = {}
    if name is not None:
        name = clean_line(name, max_length=120)
        if not name:
            errors["name"] = _("Give the studio a name.")
        elif Studio.objects.filter(name=name).exclude(pk=studio.pk).exists():
            errors["name"] = _("Another studio already has this name.")
    if type is not None and type not in Studio.Type.values:
        errors["type"] = _("Choose one of the studio types.")
    if level is not None and level not in Studio.Level.values:
        errors["level"] = _("Choose one of the studio levels.")
    if leader is not None and not leader.is_active:
        errors["leader"] = _("This account is disabled.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        studio = Studio.objects.select_for_update().select_related("unit", "leader").get(pk=studio.pk)
        # Checked again on the locked row: another admin may have moved the studio since.
        _check_administer(actor, studio, unit)
        old_name, old_leader, old_unit = studio.name, studio.leader, studio.unit
        changed: list[str] = []
        if name is not None and name != studio.name:
            studio.name = name
            changed.append("name")
        if leader is not None and leader.pk != studio.leader_id:
            studio.leader = leader
            changed.append("leader")
        if unit is not None and unit.pk != studio.unit_id:
            studio.unit = unit
            changed.append("unit")
        reclassified = [
            field
            for field, value in (("type", type), ("level", level))
            if value is not None and value != getattr(studio, field)
        ]
        for field in reclassified:
            setattr(studio, field, type if field == "type" else level)
        changed += reclassified
        if not changed:
            return studio
        studio.save(update_fields=changed)
        if "leader" in changed:
            _hand_over(studio, leader, old_leader.pk)

        def record(action: str, data: dict, payload: dict, revoke: list[int] | None = None) -> None:
            audit_record(actor=actor, action=action, target=studio, ip_address=ip_address, data=data)
            emit(studio.topic, action, payload, revoke=revoke or [])

        if "name" in changed:
            record(
                events.STUDIO_RENAMED,
                {"old": old_name, "new": studio.name},
                events.studio_renamed(studio, old_name),
            )
        if "leader" in changed:
            record(
                events.STUDIO_LEADER_CHANGED,
                {"old_leader_id": old_leader.pk, "leader_id": studio.leader_id},
                events.studio_leader_changed(studio, old_leader),
            )
        if "unit" in changed:
            record(
                events.STUDIO_MOVED,
                {"old_unit_id": old_unit.pk, "unit_id": studio.unit_id},
                events.studio_moved(studio, old_unit),
                revoke=_no_longer_following(studio, old_unit),
            )
        if reclassified:
            record(
                events.STUDIO_RECLASSIFIED,
                {field: studio.serializable_value(field) for field in reclassified},
                events.studio_reclassified(studio),
            )
        if "leader" in changed:
            with platform_language():
                notification_create(
                    recipient=studio.leader,
                    kind=events.STUDIO_LEADER_CHANGED,
                    title=lambda: _("You now lead the studio %(studio)s") % {"studio": studio.name},
                    url=_studio_url(studio),
                )
                notification_create(
                    recipient=old_leader,
                    kind=events.STUDIO_LEADER_CHANGED,
                    title=lambda: (
                        _("%(leader)s now leads %(studio)s; you stay a core member")
                        % {"leader": studio.leader, "studio": studio.name}
                    ),
                    url=_studio_url(studio),
                )
    return studio
