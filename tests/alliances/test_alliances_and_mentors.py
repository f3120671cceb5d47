"""Alliances (invitation, request, approval, leaving with revoke) and mentor pairs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import permissions
from alliances.models import AllianceMembership
from alliances.services import alliances, mentors
from platform_core.realtime.testing import capture_events
from tests.cast import every_role_except

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(cast):
    return alliances.alliance_create(
        actor=cast.leader1, name="焊接联盟", charter="共享工艺", coordinator=cast.studio1
    )


@pytest.mark.parametrize("role", every_role_except("leader1", "superadmin", "admin"))
def test_only_the_studios_leader_or_admin_founds_an_alliance_for_it(cast, role):
    with pytest.raises(PermissionDenied):
        alliances.alliance_create(actor=getattr(cast, role), name="x", coordinator=cast.studio1)


def test_a_studio_joins_by_invitation_accepted_by_its_leader(cast, alliance):
    invited = alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=cast.studio2)
    assert invited.status == "invited"
    assert not permissions.is_room_member(cast.leader2, alliance.room)
    with pytest.raises(PermissionDenied):
        alliances.alliance_membership_answer(actor=cast.leader1, membership_id=invited.pk, accept=True)
    alliances.alliance_membership_answer(actor=cast.leader2, membership_id=invited.pk, accept=True)
    assert permissions.is_room_member(cast.leader2, alliance.room)


def test_a_studio_joins_by_request_approved_by_the_coordinator(cast, alliance):
    request = alliances.alliance_request_join(actor=cast.leader2, alliance=alliance, studio=cast.studio2)
    assert request.status == "requested"
    with pytest.raises(PermissionDenied):
        alliances.alliance_membership_answer(actor=cast.leader2, membership_id=request.pk, accept=True)
    alliances.alliance_membership_answer(actor=cast.leader1, membership_id=request.pk, accept=True)
    assert AllianceMembership.objects.get(pk=request.pk).status == "active"


@pytest.mark.parametrize("role", every_role_except("leader2", "superadmin", "admin"))
def test_only_a_studios_leader_asks_to_join_for_it(cast, alliance, role):
    with pytest.raises(PermissionDenied):
        alliances.alliance_request_join(actor=getattr(cast, role), alliance=alliance, studio=cast.studio2)


def test_a_studio_leaving_revokes_its_people_from_the_room(cast, alliance):
    alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=cast.studio2)
    alliances.alliance_request_join(actor=cast.leader2, alliance=alliance, studio=cast.studio2)
    with capture_events() as captured:
        alliances.alliance_studio_remove(actor=cast.leader2, alliance=alliance, studio=cast.studio2)
    assert [event.revoke for event in captured.on(alliance.room.topic)] == [(cast.leader2.pk,)]
    with pytest.raises(ValidationError):
        alliances.alliance_studio_remove(actor=cast.leader1, alliance=alliance, studio=cast.studio1)


def test_the_alliance_room_holds_the_member_studios_people(cast, alliance):
    assert permissions.is_room_member(cast.member, alliance.room)
    assert not permissions.is_room_member(cast.outsider, alliance.room)


@pytest.fixture
def pair(cast):
    return mentors.mentor_pair_create(
        actor=cast.leader1,
        studio=cast.studio1,
        mentor=cast.leader1,
        apprentice=cast.member,
        skill="氩弧焊",
        started_on=datetime.date(2026, 3, 1),
        goals="独立完成压力管道焊接",
    )


@pytest.mark.parametrize("role", every_role_except("leader1", "superadmin", "admin"))
def test_only_the_studio_leader_or_admin_pairs_mentors(cast, role):
    with pytest.raises(PermissionDenied):
        mentors.mentor_pair_create(
            actor=getattr(cast, role),
            studio=cast.studio1,
            mentor=cast.leader1,
            apprentice=cast.member,
            skill="x",
            started_on=datetime.date(2026, 1, 1),
        )


def test_both_of_a_pair_belong_to_the_studio(cast):
    with pytest.raises(ValidationError):
        mentors.mentor_pair_create(
            actor=cast.leader1,
            studio=cast.studio1,
            mentor=cast.leader1,
            apprentice=cast.outsider,
            skill="x",
            started_on=datetime.date(2026, 1, 1),
        )


@pytest.mark.parametrize("role", ["leader1", "member", "superadmin", "admin"])
def test_the_pair_and_the_leader_add_progress_notes(cast, pair, role):
    note = mentors.mentor_note_add(actor=getattr(cast, role), pair=pair, text="完成第一阶段")
    assert note.pair == pair


@pytest.mark.parametrize("role", ["leader2", "expert", "outsider", "poster"])
def test_others_add_no_progress_notes(cast, pair, role):
    with pytest.raises(PermissionDenied):
        mentors.mentor_note_add(actor=getattr(cast, role), pair=pair, text="x")


def test_a_pair_ends_not_before_it_started(cast, pair):
    with pytest.raises(ValidationError):
        mentors.mentor_pair_update(actor=cast.leader1, pair=pair, ended_on=datetime.date(2026, 1, 1))
