"""Demo achievements for `seed_demo`: every type, one from the accepted demo challenge, with
listings, a selection round scored and published, an appraisal round open for scoring, and an
inquiry in discussion between `poster` and leader1. Idempotent: achievements by title."""

from __future__ import annotations

import datetime
import zlib

from django.contrib.auth import get_user_model
from django.utils import timezone

from alliances.services import rooms
from challenges.models import ChallengeOutcome
from platform_core.demo import DemoContext
from platform_core.orgs.models import Studio

from . import selectors
from .models import Achievement, Inquiry, Round
from .services import achievements, rounds, transfer

# title, summary, type, fields, benefit (yuan/year)
ACHIEVEMENTS = [
    (
        "变电站智能巡检无人机",
        "无人机自主巡检变电站，替代人工登高作业。",
        "technical",
        ["巡检", "无人机"],
        1800000,
    ),
    ("电缆隧道巡检机器人", "轨道式机器人全天候巡视电缆隧道。", "technical", ["巡检", "机器人"], 950000),
    (
        "配网带电作业机器人",
        "带电接引线作业由机器人完成，人员零接触。",
        "technical",
        ["带电作业", "机器人"],
        2300000,
    ),
    (
        "钛合金薄壁件防变形装夹法",
        "专用柔性装夹减少薄壁件加工变形。",
        "operating_method",
        ["精密制造", "工艺"],
        620000,
    ),
    (
        "光缆故障快速定位法",
        "OTDR 曲线比对定位故障点，耗时降到 15 分钟。",
        "operating_method",
        ["光纤", "故障定位"],
        780000,
    ),
    ("锅炉燃烧优化控制", "基于氧量闭环的燃烧优化，煤耗下降 2%。", "technical", ["节能", "锅炉"], 3100000),
    ("数控机床热误差补偿", "温度场建模补偿主轴热伸长。", "technical", ["数控", "精度"], 540000),
    ("焊接缺陷视觉检测系统", "深度学习识别焊缝气孔与裂纹。", "technical", ["焊接", "机器视觉"], 1200000),
    ("仰焊单面焊双面成型绝技", "大口径管道仰焊一次成型合格率 99%。", "master_skill", ["焊接"], 300000),
    ("手工研磨精度达 0.001 毫米", "靠手感研磨量块，精度达到微米级。", "master_skill", ["精密制造"], 200000),
    ("班组安全积分管理", "以积分量化班组安全行为并与绩效挂钩。", "management", ["安全", "班组管理"], 400000),
    ("检修工单精益管理", "工单标准化与看板管理，检修周期缩短 20%。", "management", ["检修", "精益"], 860000),
    ("营业厅一次办结服务", "业务流程再造，客户到厅一次办结。", "service", ["服务优化"], 150000),
    ("客服工单智能分派", "按技能与负荷自动分派工单。", "service", ["人工智能", "服务优化"], 380000),
    ("创新工作室积分激励制度", "创新成果积分与评优挂钩的激励制度。", "institutional", ["制度建设"], 0),
    ("师带徒考核办法", "以技能等级提升为核心的师徒考核办法。", "institutional", ["人才培养"], 0),
    (
        "液压系统故障听诊法",
        "凭听诊判断液压泵内泄，准确率 95%。",
        "operating_method",
        ["液压", "故障诊断"],
        260000,
    ),
    ("管道防腐涂层在线修复", "不停输条件下修复管道防腐层。", "technical", ["管道", "防腐"], 1500000),
    ("轴承振动早期预警模型", "振动频谱特征提前两周预警轴承故障。", "technical", ["振动", "预测"], 1100000),
    ("基站蓄电池健康评估", "内阻与放电曲线联合评估蓄电池寿命。", "technical", ["储能", "数据分析"], 700000),
    ("机房空调群控节能", "群控策略使机房空调能耗下降 18%。", "technical", ["节能", "暖通"], 900000),
    (
        "装配防错看板法",
        "工位看板与扫码防错结合，差错率降到万分之一。",
        "operating_method",
        ["精密装配"],
        450000,
    ),
    ("夜间告警降噪方法", "多源告警关联分析，误报减少 70%。", "technical", ["告警", "数据分析"], 520000),
    (
        "一线员工创新提案制度",
        "提案收集、评审、实施与奖励的闭环制度。",
        "institutional",
        ["制度建设", "创新管理"],
        0,
    ),
]


def _people():
    users = get_user_model().objects.in_bulk(
        ["admin", "poster", "leader1", "leader2", "expert1", "expert2"], field_name="username"
    )
    studios = [
        Studio.objects.filter(leader=users[name], status=Studio.Status.ACTIVE).earliest("pk")
        for name in ("leader1", "leader2")
    ]
    return users, studios


def _make(users, studio, title, summary, kind, fields, benefit, *, draft: bool = False) -> Achievement:
    achievement = achievements.achievement_create(
        actor=studio.leader,
        studio=studio,
        title=title,
        summary=summary,
        description=f"{summary}\n\n项目背景：生产一线的实际难题。\n实施过程：调研、试点、推广三个阶段。\n推广情况：已在本单位及兄弟单位推广应用。",
        type=kind,
        fields=fields,
        contributors=[
            {"name": str(studio.leader), "share": 50},
            {"name": "张伟", "share": 30},
            {"name": "刘芳", "share": 20},
        ],
        patents=[
            {
                "number": f"ZL2024{zlib.crc32(title.encode()) % 10**8:08d}.X",
                "kind": "invention",
                "status": "granted",
            }
        ]
        if benefit > 1_000_000
        else [],
        economic_benefit=benefit or None,
        benefit_method="按实施前后一年的成本与产出对比测算" if benefit else "",
        other_benefits="作业安全性提升，劳动强度降低。",
    )
    if not draft:
        achievements.achievement_submit(actor=studio.leader, achievement=achievement)
        achievement = achievements.achievement_publish(actor=users["admin"], achievement=achievement)
    return achievement


def run(ctx: DemoContext) -> None:
    users, studios = _people()
    existing = set(Achievement.objects.values_list("title", flat=True))
    made: list[Achievement] = []
    for index, (title, summary, kind, fields, benefit) in enumerate(ACHIEVEMENTS):
        if title not in existing:
            made.append(_make(users, studios[index % 2], title, summary, kind, fields, benefit))
    if "储能电站热失控预警（草稿）" not in existing:
        _make(
            users,
            studios[0],
            "储能电站热失控预警（草稿）",
            "尚未提交的草稿。",
            "technical",
            ["储能"],
            0,
            draft=True,
        )
    _from_outcomes(users)
    if made:
        _listings_and_inquiry(users, made)
        _rounds(users, made)
    _negotiation(users)


def _from_outcomes(users) -> None:
    for outcome in ChallengeOutcome.objects.filter(achievement__isnull=True).select_related("challenge"):
        prefill = selectors.outcome_prefill(outcome)
        owner = prefill["studio"] or prefill["team"]
        if owner is None:
            continue
        achievement = achievements.achievement_create(
            actor=prefill["studio"].leader if prefill["studio"] else prefill["team"].lead,
            studio=prefill["studio"],
            team=prefill["team"],
            outcome=outcome,
            title=prefill["title"],
            summary=prefill["summary"],
            description=prefill["description"],
            type=prefill["type"],
            fields=prefill["fields"],
            contributors=[{"name": str(owner), "share": 100}],
            economic_benefit=800000,
            benefit_method="验收报告中的检测效率提升折算",
        )
        lead = achievement.owner_lead
        achievements.achievement_submit(actor=lead, achievement=achievement)
        achievements.achievement_publish(actor=users["admin"], achievement=achievement)


def _listings_and_inquiry(users, made: list[Achievement]) -> None:
    for position, achievement in enumerate(made[:12]):
        transfer.listing_save(
            actor=achievement.owner_lead,
            achievement=achievement,
            maturity=5 + position % 5,
            modes=["licence", "joint"] if position % 2 else ["sale", "service"],
            price=None if position % 3 else 200000 + position * 50000,
            regions="华北、华东",
            industries="电力、通信、制造",
            contact_name=str(achievement.owner_lead),
            contact_phone="010-58501234",
        )
    leader1_listed = next(a for a in made[:12] if a.owner_lead.username == "leader1")
    inquiry = transfer.inquiry_send(
        actor=users["poster"],
        listing=leader1_listed.listing,
        mode=leader1_listed.listing.modes[0],
        message="我单位有 30 座变电站希望试点，请介绍许可方式与实施周期。",
    )
    transfer.inquiry_set_status(
        actor=users["leader1"],
        inquiry=inquiry,
        status=Inquiry.Status.DISCUSSING,
        note="欢迎交流，下周可安排现场演示。",
    )


NEGOTIATION = [
    ("leader1", "您好，许可方式按站点数计费，30 座站点可打包报价。"),
    ("poster", "好的，请问实施周期大概多久？需要我方配合哪些工作？"),
    ("leader1", "单站约两周，贵方需提供主变测温点位图和历史数据。下周现场演示时详谈。"),
]


def _negotiation(users) -> None:
    """The demo inquiry's negotiation thread with a short exchange. Runs on every seed: the
    client ids make each message a single message however often it runs."""
    inquiry = (
        Inquiry.objects.filter(
            inquirer=users["poster"], listing__achievement__studio__leader=users["leader1"]
        )
        .order_by("pk")
        .first()
    )
    if inquiry is None:
        return
    room = transfer.inquiry_thread(inquiry=inquiry)
    for index, (username, body) in enumerate(NEGOTIATION, start=1):
        rooms.message_send(
            actor=users[username], room_id=room.pk, client_id=f"demo-inquiry-{inquiry.pk}-{index}", body=body
        )


def _rounds(users, made: list[Achievement]) -> None:
    today = timezone.localdate()
    selection = rounds.round_open(
        actor=users["admin"],
        kind=Round.Kind.SELECTION,
        title=f"{today.year} 年度优秀创新成果评选",
        description="面向全集团创新工作室的年度成果评选。",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
        criteria=[("创新性", 40), ("实用性", 30), ("经济效益", 30)],
        experts=[users["expert1"], users["expert2"]],
    )
    entries = [rounds.round_entry_add(actor=users["admin"], round=selection, achievement=a) for a in made[:8]]
    for expert in (users["expert1"], users["expert2"]):
        for position, entry in enumerate(entries):
            if entry.recusals.filter(expert=expert).exists():
                continue
            rounds.round_score(
                actor=expert,
                entry=entry,
                scores=[
                    {"criterion": c.pk, "value": 92 - position * 3, "comment": "创新突出，推广价值高。"}
                    for c in selection.criteria.all()
                ],
            )
    rounds.round_close(actor=users["admin"], round=selection)
    ranking = selectors.round_ranking(selection)
    rounds.round_publish(
        actor=users["admin"], round=selection, results=selectors.suggested_results(selection, ranking)
    )
    appraisal = rounds.round_open(
        actor=users["admin"],
        kind=Round.Kind.APPRAISAL,
        title=f"{today.year} 年第二批成果鉴定",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        criteria=[("技术先进性", 50), ("成熟度", 50)],
        experts=[users["expert1"]],
    )
    for achievement in made[8:12]:
        rounds.round_entry_add(actor=users["admin"], round=appraisal, achievement=achievement)
