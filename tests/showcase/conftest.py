"""The cast, extended for the showcase: achievements made and published through the services."""

from __future__ import annotations

import pytest

from showcase.models import Achievement
from showcase.services import achievements as services
from tests.cast import Cast


def achievement_data(**overrides) -> dict:
    data = {
        "title": "高压线路带电作业机器人",
        "summary": "机器人代替人工完成带电接线，作业效率提升三倍。",
        "description": "针对配网带电作业风险高的问题，研制了绝缘斗臂车搭载的接线机器人。",
        "type": Achievement.Type.TECHNICAL,
        "fields": ["带电作业", "机器人"],
        "contributors": [{"name": "王建国", "share": 60}, {"name": "李娜", "share": 40}],
        "patents": [{"number": "ZL202310000001.1", "kind": "invention", "status": "granted"}],
        "economic_benefit": "1200000",
        "benefit_method": "按年减少停电时户数折算",
        "other_benefits": "作业人员零伤害",
    }
    data.update(overrides)
    return data


def make_achievement(cast: Cast, *, publish: bool = True, studio=None, **overrides) -> Achievement:
    studio = studio or cast.studio1
    achievement = services.achievement_create(
        actor=studio.leader, studio=studio, **achievement_data(**overrides)
    )
    if publish:
        services.achievement_submit(actor=studio.leader, achievement=achievement)
        achievement = services.achievement_publish(actor=cast.superadmin, achievement=achievement)
    return achievement


@pytest.fixture
def published(cast):
    return make_achievement(cast)


@pytest.fixture
def draft(cast):
    return make_achievement(cast, publish=False, title="秘密焊接工艺草稿", summary="尚未公开的草稿内容")
