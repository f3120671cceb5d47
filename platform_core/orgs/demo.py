"""Demo step of orgs: groups and units, where each demo person works, the union-admin and poster
grants over units, the studios (named through `studio_create`, like the admin does) and their
members, and the studio news in the demo people's notifications."""

from __future__ import annotations

import datetime

from platform_core.accounts.models import AdminGrant, PosterGrant
from platform_core.demo import DemoContext, notify_once
from platform_core.orgs.models import Studio, StudioMembership, Unit
from platform_core.orgs.naming import demo as naming_demo
from platform_core.orgs.services import studio_create, studio_delist

GROUPS = [
    {"name": "中国电信集团有限公司", "industry": "电信", "region": "北京", "headcount": 280000},
    {"name": "中国航天科工集团有限公司", "industry": "国防科技工业", "region": "北京", "headcount": 140000},
]

UNITS = [
    # name, group index, kind, industry, region, headcount, own union committee
    ("中国电信股份有限公司北京分公司", 0, "enterprise", "电信", "北京", 5200, True),
    ("中国电信股份有限公司上海分公司", 0, "enterprise", "电信", "上海", 4800, True),
    ("天翼云科技有限公司", 0, "enterprise", "云计算", "北京", 1200, True),
    ("中国电信股份有限公司苏州分公司", 0, "enterprise", "电信", "苏州", 360, True),
    ("中国航天科工集团第二研究院", 1, "institute", "航天", "北京", 8000, True),
    ("中国航天科工集团第三研究院", 1, "institute", "航天", "北京", 6500, True),
    ("贵州航天电器股份有限公司", 1, "enterprise", "电子元器件", "贵阳", 2300, True),
    ("湖南航天机电设备与特种材料研究所", 1, "institute", "新材料", "长沙", 320, True),
    ("航天科工长沙精密机械厂", 1, "enterprise", "机械制造", "长沙", 180, False),
]

# Where the demo people work: username -> index in UNITS (the rank-and-file staff are spread
# over the units in turn).
PLACEMENTS = {
    "poster": 0,
    "leader1": 0,
    "leader2": 4,
    "member1": 0,
    "member2": 4,
    "member3": 1,
    "member4": 6,
    "expert1": 5,
    "expert2": 2,
    "lead3": 1,
    "lead4": 0,
    "lead5": 4,
    "lead6": 2,
    "lead7": 6,
    "lead8": 5,
    "lead9": 1,
    "lead10": 1,
}

STUDIOS = [
    (
        "王建国劳模创新工作室",
        0,
        "skill",
        "national",
        "leader1",
        "2012-05-01",
        ["光纤接续", "传输网维护", "故障快速定位"],
        "以全国劳动模范王建国名字命名，聚焦传输网维护中的疑难故障，累计形成先进操作法 12 项。",
    ),
    (
        "李明工匠创新工作室",
        4,
        "research",
        "industry",
        "leader2",
        "2015-09-10",
        ["精密装配", "惯性导航", "工装设计"],
        "围绕型号产品精密装配难题开展攻关，坚持名师带徒，培养技师 30 余名。",
    ),
    (
        "张华数字化管理创新工作室",
        1,
        "management",
        "group",
        "lead3",
        "2018-03-15",
        ["精益管理", "数字化运营"],
        "以数据驱动运营管理创新，推动班组管理标准化。",
    ),
    (
        "陈静5G网络优化工作室",
        0,
        "research",
        "provincial",
        "lead4",
        "2020-06-01",
        ["5G", "无线优化", "室内覆盖"],
        "面向 5G 网络覆盖与质量痛点，开展群众性技术攻关。",
    ),
    (
        "刘强智能制造工匠工作室",
        4,
        "skill",
        "grassroots",
        "lead5",
        "2019-11-20",
        ["数控加工", "智能产线"],
        "推动传统产线智能化改造，总结推广绝招绝技。",
    ),
    (
        "天翼云营销创新工作室",
        2,
        "marketing",
        "provincial",
        "lead6",
        "2021-04-08",
        ["政企营销", "云解决方案"],
        "探索云业务营销模式创新，服务数字政府与智慧城市。",
    ),
    (
        "航天电器精密连接器技能工作室",
        6,
        "skill",
        "group",
        "lead7",
        "2016-08-18",
        ["连接器装配", "质量控制"],
        "攻克微小型连接器装配一致性难题。",
    ),
    (
        "三院后勤服务保障创新工作室",
        5,
        "service",
        "grassroots",
        "lead8",
        "2022-01-10",
        ["后勤保障", "服务创新"],
        "以服务创新提升科研一线保障水平。",
    ),
    (
        "林晓东客户服务创新工作室",
        1,
        "service",
        "national",
        "lead10",
        "2014-12-01",
        ["客户服务", "投诉处理", "服务流程再造"],
        "全国示范性创新工作室，提炼“首问负责”服务法。",
    ),
    (
        "赵刚工艺改进工作室",
        1,
        "management",
        "grassroots",
        "lead9",
        "2013-07-01",
        ["工艺改进"],
        "2025 年复评中未达到“创建成果丰硕”标准，已摘牌。",
    ),
]
DELISTED = {
    "赵刚工艺改进工作室": "2025 年示范性创新工作室复评：近两年无新增创新成果，未达到“创建成果丰硕”标准。"
}

MEMBERS = {
    0: [
        ("member1", "core", "2019-03-01"),
        ("lead4", "core", "2016-05-01"),
        ("member3", "member", "2023-09-01"),
    ],
    1: [("member2", "core", "2018-02-01"), ("lead5", "core", "2016-01-01")],
    3: [("member1", "member", "2021-03-01")],
    6: [("member4", "core", "2020-10-01")],
    7: [("expert1", "member", "2022-05-01")],
}


def _units() -> list[Unit]:
    groups = [
        Unit.objects.update_or_create(
            name=spec["name"], defaults={**spec, "kind": Unit.Kind.GROUP, "has_union_committee": True}
        )[0]
        for spec in GROUPS
    ]
    return [
        Unit.objects.update_or_create(
            name=name,
            defaults={
                "parent": groups[group_index],
                "kind": kind,
                "industry": industry,
                "region": region,
                "headcount": headcount,
                "has_union_committee": committee,
            },
        )[0]
        for name, group_index, kind, industry, region, headcount, committee in UNITS
    ]


def _place_people(ctx: DemoContext, units: list[Unit]) -> None:
    for username, user in ctx.users.items():
        if username in PLACEMENTS:
            unit = units[PLACEMENTS[username]]
        elif username.startswith("staff"):
            unit = units[(int(username.removeprefix("staff")) - 1) % len(units)]
        else:
            continue
        if user.unit_id != unit.pk:
            user.unit = unit
            user.save(update_fields=["unit"])


def _grants(ctx: DemoContext, units: list[Unit]) -> None:
    for group in {unit.parent for unit in units}:
        AdminGrant.objects.get_or_create(user=ctx.users["admin"], group=group, region="")
    PosterGrant.objects.get_or_create(user=ctx.users["poster"], unit=units[0])


def _studios(ctx: DemoContext, units: list[Unit]) -> list[Studio]:
    studios = []
    for name, unit_index, type_, level, leader, founded, fields, description in STUDIOS:
        profile = {
            "unit": units[unit_index],
            "type": type_,
            "level": level,
            "founded_on": datetime.date.fromisoformat(founded),
            "fields": fields,
            "description": description,
        }
        studio = Studio.objects.filter(name=name).first()
        if studio is None:
            studio = studio_create(
                actor=ctx.users["admin"], studio=Studio(name=name, leader=ctx.users[leader], **profile)
            )
            if name in DELISTED:
                studio = studio_delist(actor=ctx.users["admin"], studio=studio, reason=DELISTED[name])
        else:
            Studio.objects.filter(pk=studio.pk).update(**profile)
        studios.append(studio)
    return studios


def _members(ctx: DemoContext, studios: list[Studio]) -> None:
    for studio_index, members in MEMBERS.items():
        for username, role, joined in members:
            StudioMembership.objects.get_or_create(
                studio=studios[studio_index],
                user=ctx.users[username],
                defaults={"role": role, "joined_on": datetime.date.fromisoformat(joined)},
            )
    # Spread the rank-and-file staff over the studios of their own unit, apprentices included.
    staff = sorted(name for name in ctx.users if name.startswith("staff"))
    for index, username in enumerate(staff):
        user = ctx.users[username]
        candidates = [s for s in studios if s.unit_id == user.unit_id and s.is_active]
        if not candidates:
            continue
        role = StudioMembership.Role.APPRENTICE if user.birth_year and user.birth_year > 1992 else "member"
        StudioMembership.objects.get_or_create(
            studio=candidates[index % len(candidates)],
            user=user,
            defaults={"role": role, "joined_on": datetime.date(2018 + index % 7, 1 + index % 12, 1)},
        )


def _news(ctx: DemoContext, studios: list[Studio]) -> None:
    first, second = (f"/studios/{studio.pk}/" for studio in studios[:2])
    welcome = "欢迎使用揭榜挂帅创新协作平台"
    notify_once(
        ctx.users["member1"], welcome, "您已加入王建国劳模创新工作室，可在工作室页面查看团队动态。", first
    )
    notify_once(ctx.users["leader1"], "新成员加入工作室", "吴佳琪已加入王建国劳模创新工作室。", first)
    notify_once(ctx.users["leader2"], welcome, "完善工作室简介，便于发榜单位了解团队能力。", second)
    notify_once(ctx.users["poster"], welcome, "您可以代表中国电信股份有限公司北京分公司发布课题。", "/")


def run(ctx: DemoContext) -> None:
    units = _units()
    _place_people(ctx, units)
    _grants(ctx, units)
    studios = _studios(ctx, units)
    _members(ctx, studios)
    _news(ctx, studios)
    naming_demo.run(ctx)
