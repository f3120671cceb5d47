"""Synthetic published achievements in bulk, for the large search test and the search benchmark
(made with bulk_create, so the search grams are computed here as the services would)."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from . import search
from .models import Achievement

WORDS = [
    "变电站",
    "巡检",
    "无人机",
    "电缆",
    "隧道",
    "智能",
    "系统",
    "带电",
    "作业",
    "机器人",
    "焊接",
    "工艺",
    "数控",
    "加工",
    "精度",
    "节能",
    "改造",
    "光纤",
    "定位",
    "故障",
    "诊断",
    "方法",
    "服务",
    "流程",
    "优化",
    "管理",
    "制度",
    "创新",
    "安全",
    "监测",
    "平台",
    "设备",
    "维护",
    "预测",
    "模型",
    "装配",
    "检测",
    "视觉",
    "质量",
    "控制",
    "液压",
    "轴承",
    "振动",
    "分析",
    "锅炉",
    "燃烧",
    "效率",
    "提升",
    "煤耗",
    "降低",
    "管道",
    "防腐",
    "涂层",
]
RARE_WORD = "钎焊"  # in one title out of every 200: what the benchmark looks for


def build(count: int, *, studio, user, seed: int = 7) -> list[Achievement]:
    chooser = random.Random(seed)  # noqa: S311  test data, not secrets
    now = timezone.now()
    types = Achievement.Type.values
    rows = []
    for index in range(count):
        words = chooser.sample(WORDS, 5)
        if index % 200 == 0:
            words.insert(2, RARE_WORD)
        title = "".join(words[:4])
        summary = "，".join(chooser.sample(WORDS, 6))
        description = "。".join("".join(chooser.sample(WORDS, 8)) for _ in range(4))
        rows.append(
            Achievement(
                studio=studio,
                unit_id=studio.unit_id,
                title=title,
                summary=summary,
                description=description,
                type=types[index % len(types)],
                state=Achievement.State.PUBLISHED,
                published_at=now,
                economic_benefit=Decimal(chooser.randrange(0, 5_000_000)),
                has_patent=index % 3 == 0,
                created_by=user,
                search_grams=search.grams(title, summary, description),
            )
        )
    return rows


def create(count: int, *, studio, user, batch: int = 2000) -> None:
    Achievement.objects.bulk_create(build(count, studio=studio, user=user), batch_size=batch)
