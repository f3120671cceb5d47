"""Demo challenges for `seed_demo`: one in every state, made through the services.

leader1's and leader2's studios bid on the same challenges; expert1 is assigned and has scored
the bids under review. Idempotent: a challenge whose title exists is left alone. `seed_demo` runs
this step after the platform's own (people, roles, studios).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from platform_core.demo import DemoContext
from platform_core.orgs.models import Studio

from .lifecycle import PUBLIC_STATES, State
from .models import Bid, Challenge, Milestone
from .services import bids as bid_services
from .services import challenges as challenge_services
from .services import milestones, problems, qa, reviews


@dataclass
class DemoPeople:
    poster: Any
    admin: Any
    leader1: Any
    leader2: Any
    expert1: Any
    member1: Any
    studio1: Studio
    studio2: Studio

    @classmethod
    def load(cls) -> DemoPeople:
        users = get_user_model().objects.in_bulk(
            ["poster", "admin", "leader1", "leader2", "expert1", "member1"], field_name="username"
        )
        return cls(
            **users,
            studio1=Studio.objects.filter(leader=users["leader1"], status=Studio.Status.ACTIVE).earliest(
                "pk"
            ),
            studio2=Studio.objects.filter(leader=users["leader2"], status=Studio.Status.ACTIVE).earliest(
                "pk"
            ),
        )


# title, statement, fields, reward, award mode, target state
CHALLENGES = [
    (
        "5G 室分系统低成本覆盖方案",
        "地下停车场与电梯井 5G 信号弱，需低成本室分方案。",
        ["5G", "无线覆盖"],
        300000,
        State.PUBLISHED,
    ),
    (
        "光缆故障智能定位",
        "长途干线光缆故障定位平均耗时 2 小时，目标 15 分钟内。",
        ["光纤", "故障定位"],
        500000,
        State.UNDER_REVIEW,
    ),
    (
        "机房空调群控节能",
        "核心机房空调能耗占比 40%，寻求群控节能方案。",
        ["节能", "暖通"],
        200000,
        State.IN_PROGRESS,
    ),
    (
        "精密连接器自动化检测",
        "人工目检漏检率高，需视觉检测方案。",
        ["机器视觉", "质量检测"],
        400000,
        State.ACCEPTED,
    ),
    ("客服工单智能分派", "工单分派依赖人工经验，需要智能分派。", ["人工智能"], 150000, State.DRAFT),
    (
        "基站蓄电池健康评估",
        "蓄电池突发失效导致退服，需健康评估模型。",
        ["储能", "数据分析"],
        250000,
        State.PENDING_APPROVAL,
    ),
    ("航天器线缆装配防错", "线缆装配差错率需降至万分之一以下。", ["精密装配"], 350000, State.BIDDING_CLOSED),
    ("钛合金薄壁件变形控制", "薄壁件加工变形超差，需工艺改进。", ["精密制造", "工艺"], 600000, State.AWARDED),
    ("数据中心液冷改造评估", "评估液冷改造的可行性与收益。", ["节能", "数据中心"], 180000, State.DELIVERED),
    ("营业厅排队时长优化", "高峰期排队超过 30 分钟。", ["服务优化"], 80000, State.WITHDRAWN),
    ("卫星地面站天线除冰", "冬季天线覆冰影响接收，需除冰方案。", ["机械", "新材料"], 220000, State.FAILED),
]

# States reached after both studios bid (a failed demo challenge had no bids).
BID_STATES = PUBLIC_STATES - {State.PUBLISHED, State.FAILED}


def _bid(people: DemoPeople, challenge: Challenge, leader, studio: Studio, approach: str, budget: int) -> Bid:
    due = challenge.bidding_deadline.date() + datetime.timedelta(days=45)
    return bid_services.bid_submit(
        actor=leader,
        challenge=challenge,
        studio=studio,
        approach=approach,
        plan="调研 → 方案设计 → 试点 → 推广",
        budget=Decimal(budget),
        timeline="四个月",
        team_composition=[{"name": str(leader), "role": "负责人"}],
        qualifications=studio.description[:200],
        commitment_text="我方承诺按期保质完成攻关任务，如未达成目标，自愿接受考核。",
        signer_name=str(leader),
        milestones=[
            {
                "title": "方案设计",
                "deliverable": "技术方案与评审意见",
                "due_date": due,
                "reward_share": Decimal(budget // 3),
            },
            {
                "title": "试点验证",
                "deliverable": "试点报告",
                "due_date": due + datetime.timedelta(days=60),
                "reward_share": Decimal(budget // 3),
            },
        ],
    )


def _pass_deadline(challenge: Challenge) -> None:
    """Demo time travel: the deadline is moved into the past, keeping the delivery date after it."""
    shift = challenge.bidding_deadline - (timezone.now() - datetime.timedelta(days=2))
    Challenge.objects.filter(pk=challenge.pk).update(bidding_deadline=F("bidding_deadline") - shift)
    challenge.refresh_from_db()


def _score_all(people: DemoPeople, challenge: Challenge, marks: dict[int, int]) -> None:
    criteria = list(challenge.criteria.all())
    for bid in challenge.bids.filter(status=Bid.Status.SUBMITTED):
        base = marks[bid.bidder.pk]
        reviews.score_submit(
            actor=people.expert1,
            bid=bid,
            scores=[
                {"criterion": c.pk, "value": base - index * 3, "comment": "方案可行，建议细化试点指标。"}
                for index, c in enumerate(criteria)
            ],
        )


def _challenge(people: DemoPeople, title: str, statement: str, fields: list[str], reward: int, target: str):
    act = challenge_services.challenge_transition
    challenge = challenge_services.challenge_create(
        actor=people.poster,
        unit=people.poster.unit,
        title=title,
        statement=statement,
        requirements="方案需在本单位试点，并给出推广计划。",
        acceptance_criteria="试点指标达到课题目标，形成可推广的操作规范。",
        fields=fields,
        reward_amount=Decimal(reward),
        reward_form=Challenge.RewardForm.MONEY,
        bidding_deadline=timezone.now() + datetime.timedelta(days=14),
        expected_delivery=timezone.localdate() + datetime.timedelta(days=180),
        contact_name=str(people.poster),
        contact_phone="010-58501234",
        criteria=[("技术方案先进性", 40), ("实施可行性", 30), ("团队能力", 20), ("预算合理性", 10)],
    )
    if target == State.DRAFT:
        return challenge
    if target == State.WITHDRAWN:
        return act(actor=people.poster, challenge=challenge, action="withdraw", text="需求已由其他项目覆盖")
    act(actor=people.poster, challenge=challenge, action="submit")
    if target == State.PENDING_APPROVAL:
        return challenge
    act(actor=people.admin, challenge=challenge, action="approve")
    if target == State.PUBLISHED:
        _bid(people, challenge, people.leader1, people.studio1, "分布式皮基站 + 漏缆混合覆盖", 260000)
        _bid(people, challenge, people.leader2, people.studio2, "无源室分改造 + 智能功分", 240000)
        qa.question_answer(
            actor=people.poster,
            question=qa.question_ask(actor=people.member1, challenge=challenge, body="是否接受联合投标？"),
            answer="接受，由牵头方提交揭榜书。",
        )
        return challenge
    reviews.expert_assign(actor=people.poster, challenge=challenge, expert=people.expert1)
    if target in BID_STATES:
        _bid(
            people,
            challenge,
            people.leader1,
            people.studio1,
            "传输网维护经验 + 故障快速定位法",
            reward - 20000,
        )
        _bid(people, challenge, people.leader2, people.studio2, "航天测控技术迁移", reward - 50000)
    _pass_deadline(challenge)
    if target == State.FAILED:
        return act(actor=people.poster, challenge=challenge, action="fail", text="无单位揭榜")
    if target == State.BIDDING_CLOSED:
        challenge_services.challenge_close_due_bidding()
        return challenge
    act(actor=people.poster, challenge=challenge, action="start_review")
    _score_all(people, challenge, {people.studio1.pk: 88, people.studio2.pk: 84})
    if target == State.UNDER_REVIEW:
        return challenge
    winner = challenge.bids.get(studio=people.studio1)
    reviews.challenge_award(
        actor=people.poster,
        challenge=challenge,
        winners=[winner],
        rationale="方案成熟、团队经验丰富，综合得分第一。",
        feedback={challenge.bids.get(studio=people.studio2).pk: "技术路线新颖，但试点周期偏长。"},
    )
    if target == State.AWARDED:
        return challenge
    act(actor=people.poster, challenge=challenge, action="start_work")
    if target == State.IN_PROGRESS:
        # The first milestone is overdue, so the flag and the reminder show.
        Milestone.objects.filter(bid=winner, position=1).update(
            due_date=timezone.localdate() - datetime.timedelta(days=3)
        )
        milestones.progress_report_add(
            actor=people.leader1, bid=winner, body="已完成现场勘察，方案初稿编写中。"
        )
        return challenge
    for milestone in Milestone.objects.filter(bid=winner).order_by("position"):
        milestones.milestone_submit(actor=people.leader1, milestone=milestone, evidence_note="成果材料已提交")
        milestones.milestone_review(actor=people.poster, milestone=milestone, accept=True)
        milestones.milestone_release_reward(
            actor=people.poster, milestone=milestone, amount=milestone.reward_due
        )
    act(actor=people.leader1, challenge=challenge, action="deliver")
    if target == State.DELIVERED:
        return challenge
    return act(
        actor=people.poster, challenge=challenge, action="accept", text="验收通过，检测效率提升 5 倍。"
    )


def _problems(people: DemoPeople) -> None:
    if people.poster.unit.problems.exists():
        return
    for title, description in (
        ("夜间基站告警误报多", "夜间大量告警为误报，值守人员疲于处理。"),
        ("老旧小区光纤入户难", "老旧小区管道不通，入户施工周期长。"),
    ):
        problems.problem_submit(
            actor=people.member1,
            unit=people.poster.unit,
            title=title,
            description=description,
            urgency="high",
        )


def run(ctx: DemoContext) -> None:
    """Create the demo challenges that do not exist yet (by title)."""
    people = DemoPeople.load()
    with transaction.atomic():
        existing = set(Challenge.objects.values_list("title", flat=True))
        for title, statement, fields, reward, target in CHALLENGES:
            if title not in existing:
                _challenge(people, title, statement, fields, reward, target)
        _problems(people)
