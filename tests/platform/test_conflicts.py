"""The conflict-of-interest rule (platform_core.conflicts): stated over units and people, asked by
the challenge review and the showcase rounds alike."""

from __future__ import annotations

import pytest
from django.utils import translation

import platform_core.conflicts as core
from alliances.permissions import team_party
from alliances.services import teams
from challenges import permissions as challenge_permissions
from platform_core.conflicts import Party, Tie, conflicts, studio_party
from showcase import permissions as showcase_permissions
from tests.challenges.conftest import World, make_world
from tests.events import make_user
from tests.showcase.conftest import make_achievement


class Person:
    def __init__(self, pk: int, unit_id: int | None) -> None:
        self.pk = pk
        self.unit_id = unit_id


PARTY = Party(unit_ids=frozenset({10}), person_ids=frozenset({1, 2}), name="一号工作室")


@pytest.mark.parametrize(
    ("expert", "tie"),
    [
        (Person(1, 99), Tie.MEMBER),  # one of its people, elsewhere
        (Person(2, 10), Tie.MEMBER),  # one of its people in its unit: membership says more
        (Person(3, 10), Tie.SAME_UNIT),
        (Person(3, 11), None),
        (Person(3, None), None),  # no unit shares nothing
    ],
)
def test_the_rule_over_units_and_people(expert, tie):
    found = conflicts(expert, [PARTY])
    assert [conflict.tie for conflict in found] == ([tie] if tie else [])


def test_one_conflict_per_party_and_the_expert_is_never_told_the_name():
    other = Party(unit_ids=frozenset({10}), person_ids=frozenset(), name="二号工作室")
    found = conflicts(Person(1, 10), [PARTY, other])
    assert [(c.party.name, c.tie) for c in found] == [
        ("一号工作室", Tie.MEMBER),
        ("二号工作室", Tie.SAME_UNIT),
    ]
    with translation.override("en"):
        assert "一号工作室" in found[0].reason(named=True)
        assert "二号工作室" in found[1].reason(named=True)
        for conflict in found:
            assert conflict.party.name not in conflict.reason(named=False)


@pytest.fixture
def world(cast) -> World:
    return make_world(cast)


def test_a_studio_party_is_its_unit_its_leader_and_its_members(cast):
    party = studio_party(cast.studio1)
    assert party.unit_ids == {cast.unit_a.pk}
    assert party.person_ids == {cast.leader1.pk, cast.member.pk}
    # leader, member: tied as people; poster works in unit A: tied by the unit; a unit's parent
    # group is not the unit (the admin over group G judges unit A's studios).
    ties = {name: [c.tie for c in conflicts(getattr(cast, name), [party])] for name in cast.everyone()}
    assert ties["leader1"] == [Tie.MEMBER]
    assert ties["member"] == [Tie.MEMBER]
    assert ties["poster"] == [Tie.SAME_UNIT]
    assert ties["leader2"] == ties["expert"] == ties["outsider"] == ties["admin"] == []


def test_a_team_party_counts_its_lead_its_members_and_their_units_whatever_the_account_state(cast):
    team = teams.team_create(actor=cast.outsider, name="攻关队", purpose="攻关")
    recruit = make_user("recruit", cast.unit_b)
    invitation = teams.team_invite(actor=cast.outsider, team=team, user=recruit)
    teams.invitation_accept(actor=recruit, invitation_id=invitation.pk)
    recruit.is_active = False  # deactivated later: still tied to the team's work
    recruit.save(update_fields=["is_active"])
    party = team_party(team)
    assert party.person_ids == {cast.outsider.pk, recruit.pk}
    assert party.unit_ids == {cast.unit_c.pk, cast.unit_b.pk}
    assert [c.tie for c in conflicts(cast.outsider, [party])] == [Tie.MEMBER]  # the lead
    assert [c.tie for c in conflicts(recruit, [party])] == [Tie.MEMBER]  # an inactive member
    assert [c.tie for c in conflicts(cast.expert, [party])] == [Tie.SAME_UNIT]  # the recruit's unit B
    assert conflicts(cast.leader1, [party]) == []


def test_challenge_review_and_showcase_rounds_both_ask_the_core(world, monkeypatch):
    cast = world.cast
    calls = []
    real = core.conflicts

    def spy(expert, parties):
        parties = list(parties)
        calls.append(parties)
        return real(expert, parties)

    monkeypatch.setattr(core, "conflicts", spy)
    challenge = world.published()
    bid = world.bid(challenge, "leader2")
    achievement = make_achievement(cast, studio=cast.studio2)

    from_review = challenge_permissions.conflict_reasons(cast.expert, [bid])
    from_round = showcase_permissions.round_conflicts(cast.expert, achievement)
    # The same party (studio2, unit B, where `expert` works) gives the same answer through both.
    assert (
        from_review
        == from_round
        == core.conflict_reasons(cast.expert, [studio_party(cast.studio2)], named=True)
    )
    assert len(from_review) == 1 and cast.studio2.name in from_review[0]
    assert [party for (party,) in calls[:2]] == [studio_party(cast.studio2)] * 2


def test_the_core_rule_knows_no_domain_app():
    import ast
    from pathlib import Path

    source = Path(core.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & {"challenges", "showcase", "alliances", "frontend"}
