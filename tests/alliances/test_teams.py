"""Teams: forming, invitations (with expiry at read time), leaving, removing, the lead."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from alliances import permissions, selectors
from alliances.models import TeamInvitation, TeamMembership
from alliances.services import teams
from platform_core.realtime.testing import capture_events
from tests.cast import ROLES, every_role_except

pytestmark = pytest.mark.django_db


def test_forming_a_team_makes_its_lead_a_member_and_opens_its_room(cast):
    team = teams.team_create(actor=cast.outsider, name="  攻关队 ", purpose="x")
    assert team.name == "攻关队" and team.status == "forming"
    assert team.memberships.get().role == TeamMembership.Role.LEAD
    assert team.room.kind == "team"


@pytest.mark.parametrize("role", every_role_except("member", "superadmin"))
def test_only_the_lead_may_invite(cast, world, role):
    with pytest.raises(PermissionDenied):
        teams.team_invite(actor=getattr(cast, role), team=world.team, user=cast.outsider)


def test_an_invitation_expires_by_itself_at_read_time(cast, world):
    invitation = teams.team_invite(actor=cast.member, team=world.team, user=cast.outsider)
    TeamInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    [pending] = selectors.invitations_for(cast.outsider)
    assert pending.state == "expired"
    with pytest.raises(ValidationError):
        teams.invitation_accept(actor=cast.outsider, invitation_id=invitation.pk)
    # An expired invitation makes way for a new one.
    fresh = teams.team_invite(actor=cast.member, team=world.team, user=cast.outsider)
    teams.invitation_accept(actor=cast.outsider, invitation_id=fresh.pk)
    assert permissions.is_team_member(cast.outsider, world.team)


def test_only_the_invitee_may_answer(cast, world):
    invitation = teams.team_invite(actor=cast.member, team=world.team, user=cast.outsider)
    with pytest.raises(TeamInvitation.DoesNotExist):
        teams.invitation_accept(actor=cast.expert, invitation_id=invitation.pk)
    teams.invitation_decline(actor=cast.outsider, invitation_id=invitation.pk)
    with pytest.raises(ValidationError):
        teams.invitation_accept(actor=cast.outsider, invitation_id=invitation.pk)


def test_removing_a_member_revokes_their_room_access(cast, world):
    with capture_events() as captured:
        teams.team_member_remove(actor=cast.member, team=world.team, user=cast.leader2)
    [removal] = captured.on(world.room.topic)
    assert removal.name == "room.member_removed" and removal.revoke == (cast.leader2.pk,)
    assert not permissions.is_room_member(cast.leader2, world.room)


@pytest.mark.parametrize("role", every_role_except("member", "superadmin"))
def test_only_the_lead_may_remove(cast, world, role):
    with pytest.raises(PermissionDenied):
        teams.team_member_remove(actor=getattr(cast, role), team=world.team, user=cast.leader2)


def test_the_lead_cannot_leave_before_handing_over(cast, world):
    with pytest.raises(ValidationError):
        teams.team_leave(actor=cast.member, team=world.team)
    teams.team_transfer_lead(actor=cast.member, team=world.team, user=cast.leader2)
    world.team.refresh_from_db()
    assert world.team.lead == cast.leader2
    teams.team_leave(actor=cast.member, team=world.team)
    assert not permissions.is_team_member(cast.member, world.team)


def test_the_lead_goes_only_to_a_member(cast, world):
    with pytest.raises(ValidationError):
        teams.team_transfer_lead(actor=cast.member, team=world.team, user=cast.outsider)


def test_an_archived_team_room_is_read_only(cast, world):
    from alliances.services.rooms import message_send

    teams.team_update(actor=cast.member, team=world.team, status="archived")
    with pytest.raises(ValidationError):
        message_send(actor=cast.member, room_id=world.room.pk, client_id="a", body="x")


@pytest.mark.parametrize("role", ROLES)
def test_a_members_studio_leader_sees_which_teams_the_member_is_in(cast, world, role):
    viewer = getattr(cast, role)
    # `member` is in studio1 (led by leader1); admin covers unit A.
    allowed = role in ("superadmin", "admin", "leader1", "member")
    if allowed:
        assert list(selectors.teams_of_member(viewer, cast.member.pk)) == [world.team]
    else:
        with pytest.raises(Http404):  # as for a person who does not exist
            selectors.teams_of_member(viewer, cast.member.pk)


def test_team_visibility(cast, world):
    assert permissions.can_view_team(cast.leader1, world.team)  # leads member's studio
    assert not permissions.can_view_team(cast.outsider, world.team)
