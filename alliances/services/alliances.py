"""Studio alliances: founding one, studios joining by invitation or by request (the other side
approves), leaving or being removed. The alliance room follows the member studios: a studio that
leaves takes its people's access to the room with it, at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.notifications.services import Text, notification_create
from platform_core.orgs.models import Studio

from .. import events, permissions
from ..models import Alliance, AllianceMembership
from .common import optional_text, require, required_line
from .rooms import announce_removal, room_for_alliance

Status = AllianceMembership.Status


def alliance_url(alliance: Alliance) -> str:
    return f"/alliances/{alliance.pk}/"


def alliance_create(*, actor, name: str, charter: str = "", coordinator: Studio) -> Alliance:
    require(
        permissions.can_coordinate_studio(actor, coordinator) and coordinator.is_active,
        _("Only the leader of an active studio, or a union admin over it, may found an alliance for it."),
    )
    name = required_line(name, field="name", message=_("An alliance needs a name."))
    with transaction.atomic():
        if Alliance.objects.filter(name=name).exists():
            raise ValidationError({"name": _("An alliance of this name exists.")})
        alliance = Alliance.objects.create(name=name, charter=optional_text(charter), coordinator=coordinator)
        AllianceMembership.objects.create(
            alliance=alliance, studio=coordinator, status=Status.ACTIVE, joined_at=timezone.now()
        )
        room_for_alliance(alliance)
        audit_record(actor=actor, action=events.ALLIANCE_CREATED, target=alliance, data={"name": name})
    return alliance


def alliance_update(
    *, actor, alliance: Alliance, name: str | None = None, charter: str | None = None
) -> Alliance:
    require(
        permissions.can_manage_alliance(actor, alliance),
        _("Only the coordinating studio may edit the alliance."),
    )
    with transaction.atomic():
        alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
        changed = []
        if name is not None:
            alliance.name = required_line(name, field="name", message=_("An alliance needs a name."))
            if Alliance.objects.filter(name=alliance.name).exclude(pk=alliance.pk).exists():
                raise ValidationError({"name": _("An alliance of this name exists.")})
            changed.append("name")
        if charter is not None:
            alliance.charter = optional_text(charter)
            changed.append("charter")
        if changed:
            alliance.save(update_fields=changed)
            audit_record(
                actor=actor, action=events.ALLIANCE_UPDATED, target=alliance, data={"fields": changed}
            )
    return alliance


def _notify_leader(studio: Studio, *, kind: str, title: Text, alliance: Alliance) -> None:
    notification_create(recipient=studio.leader, kind=kind, title=title, url=alliance_url(alliance))


def _activate(membership: AllianceMembership, actor) -> AllianceMembership:
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    audit_record(
        actor=actor,
        action=events.ALLIANCE_STUDIO_JOINED,
        target=membership.alliance,
        data={"studio_id": membership.studio_id},
    )
    return membership


def alliance_invite_studio(*, actor, alliance: Alliance, studio: Studio) -> AllianceMembership:
    """The coordinator invites a studio; if the studio had asked to join, this approves it."""
    require(
        permissions.can_manage_alliance(actor, alliance),
        _("Only the coordinating studio may invite studios."),
    )
    if not studio.is_active:
        raise ValidationError({"studio": _("Only active studios may join an alliance.")})
    with transaction.atomic():
        membership = (
            AllianceMembership.objects.select_for_update().filter(alliance=alliance, studio=studio).first()
        )
        if membership is not None and membership.status != Status.REQUESTED:
            raise ValidationError({"studio": _("This studio is already invited or a member.")})
        if membership is not None:
            return _activate(membership, actor)
        membership = AllianceMembership.objects.create(
            alliance=alliance, studio=studio, status=Status.INVITED
        )
        audit_record(
            actor=actor, action=events.ALLIANCE_STUDIO_INVITED, target=alliance, data={"studio_id": studio.pk}
        )
        _notify_leader(
            studio,
            kind=events.ALLIANCE_INVITED,
            title=lambda: _("Your studio is invited to join the alliance %(name)s") % {"name": alliance.name},
            alliance=alliance,
        )
    return membership


def alliance_request_join(*, actor, alliance: Alliance, studio: Studio) -> AllianceMembership:
    """A studio asks to join; if it had been invited, this accepts the invitation."""
    require(
        permissions.can_coordinate_studio(actor, studio),
        _("Only the studio's leader may ask to join an alliance for it."),
    )
    if not studio.is_active:
        raise ValidationError({"studio": _("Only active studios may join an alliance.")})
    with transaction.atomic():
        membership = (
            AllianceMembership.objects.select_for_update().filter(alliance=alliance, studio=studio).first()
        )
        if membership is not None and membership.status != Status.INVITED:
            raise ValidationError({"studio": _("This studio has already asked or is a member.")})
        if membership is not None:
            return _activate(membership, actor)
        membership = AllianceMembership.objects.create(
            alliance=alliance, studio=studio, status=Status.REQUESTED
        )
        audit_record(
            actor=actor,
            action=events.ALLIANCE_STUDIO_REQUESTED,
            target=alliance,
            data={"studio_id": studio.pk},
        )
        _notify_leader(
            alliance.coordinator,
            kind=events.ALLIANCE_REQUESTED,
            title=lambda: (
                _("%(studio)s asks to join the alliance %(name)s")
                % {"studio": studio.name, "name": alliance.name}
            ),
            alliance=alliance,
        )
    return membership


def alliance_membership_answer(*, actor, membership_id: int, accept: bool) -> AllianceMembership | None:
    """The side that did not start it answers: the invited studio, or the coordinator of a request.
    Declining deletes the pending membership (the studio may ask or be invited again)."""
    with transaction.atomic():
        membership = (
            AllianceMembership.objects.select_for_update()
            .select_related("alliance__coordinator", "studio")
            .get(pk=membership_id)
        )
        if membership.status not in (Status.INVITED, Status.REQUESTED):
            raise ValidationError(_("This studio is already a member."))
        allowed = permissions.can_answer_alliance_membership(actor, membership)
        require(allowed, _("Only the other side may answer."))
        if accept:
            return _activate(membership, actor)
        membership.delete()
    return None


def _people_of(studio: Studio):
    return (
        get_user_model()
        .objects.filter(Q(led_studios=studio) | Q(studio_memberships__studio=studio))
        .distinct()
    )


def alliance_studio_remove(*, actor, alliance: Alliance, studio: Studio) -> None:
    """The coordinator removes a studio, or the studio leaves. The coordinating studio stays."""
    if studio.pk == alliance.coordinator_id:
        raise ValidationError({"studio": _("The coordinating studio cannot leave its alliance.")})
    require(
        permissions.can_end_alliance_membership(actor, alliance, studio),
        _("Only the coordinator or the studio itself may end its membership."),
    )
    with transaction.atomic():
        deleted, _detail = AllianceMembership.objects.filter(alliance=alliance, studio=studio).delete()
        if not deleted:
            raise ValidationError({"studio": _("This studio is not in the alliance.")})
        audit_record(
            actor=actor, action=events.ALLIANCE_STUDIO_REMOVED, target=alliance, data={"studio_id": studio.pk}
        )
        room = room_for_alliance(alliance)
        # Only those who have no other member studio in the alliance lose the room.
        announce_removal(
            room, [user for user in _people_of(studio) if not permissions.is_room_member(user, room)]
        )
