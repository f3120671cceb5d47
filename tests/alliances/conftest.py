"""A virtual team across units A and B, for the alliance and chat tests: led by `member`
(unit A), with leader2 (unit B) in it; outsider (unit C) is in nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from alliances.models import Room, Team
from alliances.services import teams
from alliances.services.rooms import room_for_team


@dataclass
class TeamWorld:
    team: Team
    room: Room


def make_team(cast) -> TeamWorld:
    team = teams.team_create(actor=cast.member, name="跨单位攻关队", purpose="节能降耗攻关")
    invitation = teams.team_invite(actor=cast.member, team=team, user=cast.leader2)
    teams.invitation_accept(actor=cast.leader2, invitation_id=invitation.pk)
    return TeamWorld(team=team, room=room_for_team(team))


@pytest.fixture
def world(cast) -> TeamWorld:
    return make_team(cast)


@pytest.fixture
def tworld(tcast) -> TeamWorld:
    return make_team(tcast)
