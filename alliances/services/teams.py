"""Virtual teams: forming, inviting (invitations expire by themselves), joining, leaving,
removing, handing over the lead, and the team's status. Each membership change is also a change
of who may read the team's room: a removal ends the member's live access at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.notifications.services import notification_create
from platform_core.orgs.models import Studio
from platform_core.realtime.services import emit

from .. import events, permissions
from ..models import Alliance, Team, TeamInvitation, TeamMembership
from .common import optional_text, require, required_line
from .rooms import announce_removal, room_for_team


def team_url(team: Team) -> str:
    return f"/teams/{team.pk}/"


def _locked(team: Team) -> Team:
    return Team.objects.select_for_update().get(pk=team.pk)


def team_create(
    *,
    actor,
    name: str,
    purpose: str = "",
    source_studios: Iterable[Studio] = (),
    source_alliance: Alliance | None = None,
) -> Team:
    """Anyone signed in may form a team and leads it; it opens in the `forming` state with its room."""
    require(actor.is_authenticated and actor.is_active, _("Sign in to form a team."))
    with transaction.atomic():
        team = Team.objects.create(
            name=required_line(name, field="name", message=_("A team needs a name.")),
            purpose=optional_text(purpose),
            lead=actor,
            source_alliance=source_alliance,
        )
        team.source_studios.set(list(source_studios))
        TeamMembership.objects.create(team=team, user=actor, role=TeamMembership.Role.LEAD)
        room_for_team(team)
        audit_record(actor=actor, action=events.TEAM_CREATED, target=team, data={"name": team.name})
    return team


def team_update(
    *, actor, team: Team, name: str | None = None, purpose: str | None = None, status: str | None = None
) -> Team:
    require(permissions.can_manage_team(actor, team), _("Only the team's lead may change it."))
    with transaction.atomic():
        team = _locked(team)
        changed = []
        if name is not None:
            team.name = required_line(name, field="name", message=_("A team needs a name."))
            changed.append("name")
        if purpose is not None:
            team.purpose = optional_text(purpose)
            changed.append("purpose")
        if status is not None:
            if status not in Team.Status.values:
                raise ValidationError({"status": _("Unknown status.")})
            team.status = status
            changed.append("status")
        if changed:
            team.save(update_fields=changed)
            if "name" in changed:
                room = room_for_team(team)
                room.title = team.name
                room.save(update_fields=["title"])
            audit_record(actor=actor, action=events.TEAM_UPDATED, target=team, data={"fields": changed})
    return team


def team_invite(*, actor, team: Team, user) -> TeamInvitation:
    require(permissions.can_manage_team(actor, team), _("Only the team's lead may invite."))
    with transaction.atomic():
        team = _locked(team)
        if not team.is_open:
            raise ValidationError(_("The team is archived."))
        if not user.is_active:
            raise ValidationError({"user": _("This account is disabled.")})
        if permissions.is_team_member(user, team):
            raise ValidationError({"user": _("%(name)s is already in the team.") % {"name": user}})
        pending = TeamInvitation.objects.filter(
            team=team, user=user, status=TeamInvitation.Status.PENDING
        ).first()
        if pending is not None:
            if pending.is_open:
                raise ValidationError({"user": _("%(name)s already has an invitation.") % {"name": user}})
            # An expired invitation makes way for a new one.
            pending.status = TeamInvitation.Status.CANCELLED
            pending.save(update_fields=["status"])
        invitation = TeamInvitation.objects.create(team=team, user=user, invited_by=actor)
        audit_record(actor=actor, action=events.TEAM_MEMBER_INVITED, target=team, data={"user_id": user.pk})
        notification_create(
            recipient=user,
            kind=events.TEAM_INVITED,
            title=lambda: _("%(name)s invites you to the team %(team)s") % {"name": actor, "team": team.name},
            url="/teams/invitations/",
        )
    return invitation


def _open_invitation_of(actor, invitation_id: int) -> TeamInvitation:
    invitation = (
        TeamInvitation.objects.select_for_update()
        .select_related("team")
        .filter(pk=invitation_id, user=actor)
        .first()
    )
    if invitation is None:
        raise TeamInvitation.DoesNotExist(_("No such invitation."))
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired; ask the team's lead for a new one."))
    if invitation.status != TeamInvitation.Status.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    return invitation


def invitation_accept(*, actor, invitation_id: int) -> TeamMembership:
    with transaction.atomic():
        invitation = _open_invitation_of(actor, invitation_id)
        team = _locked(invitation.team)
        if not team.is_open:
            raise ValidationError(_("The team is archived."))
        invitation.status = TeamInvitation.Status.ACCEPTED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        membership, _created = TeamMembership.objects.get_or_create(team=team, user=actor)
        audit_record(actor=actor, action=events.TEAM_INVITATION_ACCEPTED, target=team)
        emit(room_for_team(team).topic, events.ROOM_MEMBER_ADDED, {"user": events.person(actor)})
    return membership


def invitation_decline(*, actor, invitation_id: int) -> TeamInvitation:
    with transaction.atomic():
        invitation = _open_invitation_of(actor, invitation_id)
        invitation.status = TeamInvitation.Status.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        audit_record(actor=actor, action=events.TEAM_INVITATION_DECLINED, target=invitation.team)
    return invitation


def _drop_member(team: Team, user) -> None:
    deleted, _detail = TeamMembership.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise ValidationError({"user": _("%(name)s is not in the team.") % {"name": user}})
    announce_removal(room_for_team(team), [user])


def team_leave(*, actor, team: Team) -> None:
    with transaction.atomic():
        team = _locked(team)
        if team.lead_id == actor.pk:
            raise ValidationError(_("The lead cannot leave; hand the lead to another member first."))
        _drop_member(team, actor)
        audit_record(actor=actor, action=events.TEAM_MEMBER_LEFT, target=team)


def team_member_remove(*, actor, team: Team, user) -> None:
    require(permissions.can_manage_team(actor, team), _("Only the team's lead may remove members."))
    with transaction.atomic():
        team = _locked(team)
        if team.lead_id == user.pk:
            raise ValidationError({"user": _("The lead cannot be removed; hand the lead over first.")})
        _drop_member(team, user)
        audit_record(actor=actor, action=events.TEAM_MEMBER_REMOVED, target=team, data={"user_id": user.pk})


def team_transfer_lead(*, actor, team: Team, user) -> Team:
    require(permissions.can_manage_team(actor, team), _("Only the team's lead may hand the lead over."))
    with transaction.atomic():
        team = _locked(team)
        if not TeamMembership.objects.filter(team=team, user=user).exists():
            raise ValidationError({"user": _("The new lead must be a member of the team.")})
        previous = team.lead_id
        TeamMembership.objects.filter(team=team, user_id=previous).update(role=TeamMembership.Role.MEMBER)
        TeamMembership.objects.filter(team=team, user=user).update(role=TeamMembership.Role.LEAD)
        team.lead = user
        team.save(update_fields=["lead"])
        audit_record(
            actor=actor,
            action=events.TEAM_LEAD_TRANSFERRED,
            target=team,
            data={"from_user_id": previous, "to_user_id": user.pk},
        )
    return team
