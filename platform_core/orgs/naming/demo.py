"""Demo naming rounds (run by orgs/demo.py after the studios exist): a group-level round of 2024
that named 刘强智能制造工匠工作室 (its certificate printable from the studio page), and the national
round of this year with nominations open, one self-assessment submitted and one in draft."""

from __future__ import annotations

import datetime

from django.utils import timezone

from platform_core.demo import DemoContext

from ..models import NamingRound, Studio
from . import services

WEIGHTS = {"political": 20, "breakthrough": 20, "achievements": 25, "talent": 20, "support": 15}
FINISHED = "2024 年度航天科工集团级示范性创新工作室命名"
OPEN = "全国示范性创新工作室命名（本年度）"


def _texts(studio: Studio, theme: str) -> dict[str, str]:
    return {
        "political": f"{studio.name}坚持政治学习制度，全体成员每月开展主题学习。",
        "breakthrough": f"围绕{theme}开展集中攻关，承担企业急难险重任务。",
        "achievements": "形成先进操作法和专利成果，在本企业推广应用，创造经济效益。",
        "talent": "成员年龄形成梯队，坚持名师带徒，培养技师和工匠人才。",
        "support": "企业提供场地设备，经费列入年度预算，奖励机制健全。",
    }


def _schedule(start: datetime.date) -> dict:
    return {
        "nominations_close_on": start + datetime.timedelta(days=30),
        "assessment_close_on": start + datetime.timedelta(days=45),
        "scoring_close_on": start + datetime.timedelta(days=60),
        "notice_ends_on": start + datetime.timedelta(days=70),
    }


def _finished(ctx: DemoContext) -> None:
    if NamingRound.objects.filter(title=FINISHED).exists():
        return
    admin, expert1, expert2 = ctx.users["admin"], ctx.users["expert1"], ctx.users["expert2"]
    named = Studio.objects.get(name="刘强智能制造工匠工作室")
    other = Studio.objects.get(name="三院后勤服务保障创新工作室")
    round = services.round_open(
        actor=admin,
        level=Studio.Level.GROUP,
        title=FINISHED,
        year=2024,
        weights=WEIGHTS,
        experts=[expert1, expert2],
        **_schedule(timezone.localdate()),
    )
    nominations = []
    for studio, theme in ((named, "智能产线改造"), (other, "科研一线保障")):
        nomination = services.nomination_create(
            actor=admin, round=round, studio=studio, statement="集团工会推荐"
        )
        nominations.append(
            services.assessment_save(
                actor=studio.leader, nomination=nomination, texts=_texts(studio, theme), submit=True
            )
        )
    services.scoring_start(actor=admin, round=round)
    marks = {named.pk: (92, 88), other.pk: (78, 74)}
    for nomination in nominations:
        for expert, value in zip((expert1, expert2), marks[nomination.studio_id], strict=True):
            if not nomination.recusals.filter(expert=expert).exists():
                services.score_save(actor=expert, nomination=nomination, scores=dict.fromkeys(WEIGHTS, value))
    services.scoring_close(actor=admin, round=round)
    first = next(n for n in nominations if n.studio_id == named.pk)
    services.results_publish(actor=admin, round=round, named=[first.pk])
    # The notice period of 2024 is long over: the round's dates are those of 2024.
    NamingRound.objects.filter(pk=round.pk).update(
        **_schedule(datetime.date(2024, 3, 1)), notice_starts_on=datetime.date(2024, 5, 1)
    )
    round.refresh_from_db()
    services.titles_confer(actor=admin, round=round)


def _open(ctx: DemoContext) -> None:
    if NamingRound.objects.filter(title=OPEN).exists():
        return
    admin = ctx.users["admin"]
    round = services.round_open(
        actor=admin,
        level=Studio.Level.NATIONAL,
        title=OPEN,
        year=timezone.localdate().year,
        weights=WEIGHTS,
        experts=[ctx.users["expert1"], ctx.users["expert2"]],
        **_schedule(timezone.localdate()),
    )
    submitted = Studio.objects.get(name="天翼云营销创新工作室")
    nomination = services.nomination_create(actor=submitted.leader, round=round, studio=submitted)
    services.assessment_save(
        actor=submitted.leader, nomination=nomination, texts=_texts(submitted, "云业务营销"), submit=True
    )
    draft = Studio.objects.get(name="陈静5G网络优化工作室")
    nomination = services.nomination_create(
        actor=admin, round=round, studio=draft, statement="5G 网络优化成效突出，推荐参评。"
    )
    services.assessment_save(actor=draft.leader, nomination=nomination, texts=_texts(draft, "5G 覆盖"))


def run(ctx: DemoContext) -> None:
    _finished(ctx)
    _open(ctx)
