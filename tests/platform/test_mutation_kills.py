"""Tests that kill mutants of the access rules which `make mutants` found surviving
(docs/testing.md, "Mutation checks"), and the check that every permission module is mutated."""

from __future__ import annotations

import datetime
import fnmatch
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from alliances import permissions as alliance_permissions
from alliances.models import AllianceMembership, Team
from alliances.services import alliances as alliance_services
from alliances.services import mentors, rooms, teams
from platform_core import conflicts
from platform_core.orgs.models import Studio, StudioMembership
from tests.cast import ROLES

ROOT = Path(__file__).resolve().parents[2]


def test_every_permission_module_is_mutated_by_make_mutants():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    sources = [source.rstrip("/") for source in config["source_paths"]]
    modules = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if (path.name == "permissions.py" or path.name == "conflicts.py")
        and not {".venv", "mutants", "tests", "var"} & set(path.relative_to(ROOT).parts)
    ]
    assert "challenges/permissions.py" in modules and "platform_core/conflicts.py" in modules
    for module in modules:
        assert any(module.startswith(source + "/") for source in sources), module
        assert any(fnmatch.fnmatch(module, pattern) for pattern in config["only_mutate"]), module


# --- alliances/permissions.py ------------------------------------------------------------------


@pytest.fixture
def pair(cast):
    return mentors.mentor_pair_create(
        actor=cast.leader1,
        studio=cast.studio1,
        mentor=cast.leader1,
        apprentice=cast.member,
        skill="带电作业",
        started_on=datetime.date(2026, 1, 5),
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(role, role in ("superadmin", "admin", "leader1", "member")) for role in (*ROLES, "anonymous")],
)
def test_a_mentor_pair_is_seen_by_its_pair_its_studio_and_the_admins_over_it(cast, pair, role, allowed):
    user = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    assert alliance_permissions.can_view_mentor_pair(user, pair) is allowed


def test_a_mentor_pair_is_seen_by_another_member_of_its_studio_and_by_no_deactivated_account(cast, pair):
    colleague = get_user_model().objects.create_user(username="colleague", unit=cast.unit_a)
    StudioMembership.objects.create(studio=cast.studio1, user=colleague, joined_on=datetime.date(2026, 1, 1))
    assert alliance_permissions.can_view_mentor_pair(colleague, pair)
    for user in (colleague, cast.member, cast.leader1):
        user.is_active = False
        assert not alliance_permissions.can_view_mentor_pair(user, pair), user


def test_an_alliances_studios_are_its_active_members_only(cast):
    alliance = alliance_services.alliance_create(
        actor=cast.leader1, name="节能联盟", charter="共享节能经验", coordinator=cast.studio1
    )
    invited = alliance_services.alliance_invite_studio(
        actor=cast.leader1, alliance=alliance, studio=cast.studio2
    )
    assert invited.status == AllianceMembership.Status.INVITED
    assert set(Studio.objects.filter(pk__in=alliance_permissions.alliance_studio_ids(alliance))) == {
        cast.studio1
    }
    other = alliance_services.alliance_create(
        actor=cast.leader2, name="焊接联盟", charter="焊接", coordinator=cast.studio2
    )
    assert set(Studio.objects.filter(pk__in=alliance_permissions.alliance_studio_ids(other))) == {
        cast.studio2
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(role, role in ("superadmin", "admin", "leader1", "member")) for role in (*ROLES, "anonymous")],
)
def test_whose_teams_a_member_may_see(cast, role, allowed):
    viewer = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    assert alliance_permissions.can_see_teams_of(viewer, cast.member) is allowed


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_who_moderates_a_room(cast, role):
    """A team's lead moderates its room, the coordinating studio's leader the alliance's room,
    nobody a private room (nor an anonymous visitor any)."""
    user = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    team = teams.team_create(actor=cast.member, name="跨单位攻关队", purpose="节能降耗攻关")
    joining = teams.team_invite(actor=cast.member, team=team, user=cast.leader2)
    teams.invitation_accept(actor=cast.leader2, invitation_id=joining.pk)
    alliance = alliance_services.alliance_create(
        actor=cast.leader1, name="节能联盟", charter="共享节能经验", coordinator=cast.studio1
    )
    private = rooms.room_create(title="私聊", members=[cast.member, cast.leader1])
    assert alliance_permissions.is_room_moderator(user, rooms.room_for_team(team)) is (role == "member")
    assert alliance_permissions.is_room_moderator(user, rooms.room_for_alliance(alliance)) is (
        role == "leader1"
    )
    assert alliance_permissions.is_room_moderator(user, private) is False


def test_a_teams_party_holds_its_leads_unit_even_without_a_membership_row(cast):
    """The lead counts by being the lead (a team whose rows predate the lead's membership, or an
    import, still ties an expert of the lead's unit); a lead without a unit adds none."""
    team = Team.objects.create(name="攻关队", purpose="节能", lead=cast.leader1, status=Team.Status.ACTIVE)
    party = alliance_permissions.team_party(team)
    assert party.unit_ids == frozenset({cast.unit_a.pk}) and party.person_ids == frozenset({cast.leader1.pk})
    assert [c.tie for c in conflicts.conflicts(cast.recused, [party])] == [conflicts.Tie.SAME_UNIT]
    # The poster side reads the team's name in the record of the recusal.
    assert party.name == "攻关队"
    with translation.override("en"):
        assert conflicts.conflict_reasons(cast.recused, [party], named=True) == [
            "You work in the same unit as 攻关队."
        ]
    unitless = get_user_model().objects.create_user(username="unitless", unit=None)
    alone = Team.objects.create(name="独行队", purpose="节能", lead=unitless, status=Team.Status.ACTIVE)
    assert alliance_permissions.team_party(alone).unit_ids == frozenset()


# --- platform_core/conflicts.py ----------------------------------------------------------------


def test_each_tie_is_told_to_the_expert_without_the_partys_name_and_to_the_poster_with_it(cast):
    member_of = conflicts.Party(unit_ids=frozenset(), person_ids=frozenset({cast.recused.pk}), name="甲队")
    same_unit = conflicts.Party(unit_ids=frozenset({cast.unit_a.pk}), person_ids=frozenset(), name="乙队")
    with translation.override("en"):
        assert conflicts.conflict_reasons(cast.recused, [member_of, same_unit], named=False) == [
            "You are a member of a party to this matter.",
            "You work in the same unit as a party to this matter.",
        ]
        assert conflicts.conflict_reasons(cast.recused, [member_of, same_unit], named=True) == [
            "You are a member of 甲队.",
            "You work in the same unit as 乙队.",
        ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (role, role in ("superadmin", "admin", "admin2", "leader1", "leader2", "member", "outsider"))
        for role in (*ROLES, "anonymous")
    ],
)
def test_who_sees_a_team(cast, role, allowed):
    """Its lead and members, whoever has a pending invitation (not a declined one), the leader of a
    studio a member belongs to, the union admins."""
    team = teams.team_create(actor=cast.member, name="跨单位攻关队", purpose="节能降耗攻关")
    joining = teams.team_invite(actor=cast.member, team=team, user=cast.leader2)
    teams.invitation_accept(actor=cast.leader2, invitation_id=joining.pk)
    teams.team_invite(actor=cast.member, team=team, user=cast.outsider)
    declined = teams.team_invite(actor=cast.member, team=team, user=cast.expert)
    type(declined).objects.filter(pk=declined.pk).update(status="declined")
    user = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    assert alliance_permissions.can_view_team(user, team) is allowed


def test_an_active_membership_is_answered_by_nobody_and_the_coordinator_never_removed(cast):
    alliance = alliance_services.alliance_create(
        actor=cast.leader1, name="节能联盟", charter="共享节能经验", coordinator=cast.studio1
    )
    own = AllianceMembership.objects.get(alliance=alliance, studio=cast.studio1)
    for user in (cast.leader1, cast.superadmin, cast.admin):
        assert not alliance_permissions.can_answer_alliance_membership(user, own)
        assert not alliance_permissions.can_end_alliance_membership(user, alliance, cast.studio1)
