"""An admin runs a selection round end to end with expert scores; conflicts recused by the
challenges' rule."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from platform_core.accounts.models import ExpertProfile
from showcase import selectors
from showcase.models import Achievement, Round
from showcase.services import rounds
from tests.events import make_user

from .conftest import make_achievement

pytestmark = pytest.mark.django_db


def test_an_admin_runs_a_selection_round_end_to_end(cast):
    outside_expert = make_user("expert_c", unit=cast.unit_c)
    ExpertProfile.objects.create(user=outside_expert, committee=ExpertProfile.Committee.TECHNICAL)
    first = make_achievement(cast, title="成果一")
    second = make_achievement(cast, title="成果二", studio=cast.studio2)
    today = datetime.date.today()
    round = rounds.round_open(
        actor=cast.admin,
        kind=Round.Kind.SELECTION,
        title="2026 年度优秀创新成果",
        starts_on=today,
        ends_on=today,
        criteria=[("创新性", 60), ("效益", 40)],
        experts=[cast.expert, outside_expert],
    )
    entries = [rounds.round_entry_add(actor=cast.admin, round=round, achievement=a) for a in (first, second)]
    # `expert` works in unit B, studio2's unit: recused from its entry by the shared rule.
    assert entries[1].recusals.filter(expert=cast.expert).exists()
    with pytest.raises(PermissionDenied):
        rounds.round_score(actor=cast.expert, entry=entries[1], scores=[])
    criteria = list(round.criteria.all())
    for expert, marks in ((cast.expert, {0: 90}), (outside_expert, {0: 80, 1: 70})):
        for index, value in marks.items():
            rounds.round_score(
                actor=expert,
                entry=entries[index],
                scores=[{"criterion": c.pk, "value": value} for c in criteria],
            )
    rounds.round_close(actor=cast.admin, round=round)
    ranking = selectors.round_ranking(round)
    assert [item.entry.achievement.title for item in ranking] == ["成果一", "成果二"]
    assert ranking[0].total == 85
    rounds.round_publish(actor=cast.admin, round=round, results=selectors.suggested_results(round, ranking))
    first.refresh_from_db()
    assert first.award == "first"
    assert Achievement.objects.get(pk=second.pk).award == "second"
    assert selectors.studio_record(cast.studio1).awards[0][1] == 1


def test_only_union_admins_open_rounds(cast):
    today = datetime.date.today()
    with pytest.raises(PermissionDenied):
        rounds.round_open(
            actor=cast.leader1,
            kind="selection",
            title="x",
            starts_on=today,
            ends_on=today,
            criteria=[("a", 100)],
            experts=[],
        )
