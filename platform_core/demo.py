"""Demo data in Chinese for a laptop run: `python manage.py seed_demo`. Idempotent: run it again
and it updates what exists and adds only what is missing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from platform_core.accounts.models import AdminGrant, ExpertProfile, PosterGrant
from platform_core.notifications.models import Notification
from platform_core.notifications.services import notification_create
from platform_core.orgs.models import Studio, StudioMembership, Unit

DEFAULT_PASSWORD = "demo12345"  # noqa: S105  the documented demo password

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

# username, display name, unit index, job title, birth year
PEOPLE = [
    ("poster", "周海燕", 0, "网络运营部 科技创新主管", 1982),
    ("leader1", "王建国", 0, "高级技师 · 全国劳动模范", 1971),
    ("leader2", "李明", 4, "研究员 · 大国工匠", 1976),
    ("member1", "赵晓雪", 0, "网络优化工程师", 1994),
    ("member2", "孙浩然", 4, "装配钳工 技师", 1990),
    ("member3", "吴佳琪", 1, "数据分析师", 1997),
    ("member4", "郑伟", 6, "数控车工 高级工", 1986),
    ("expert1", "钱志远", 5, "教授级高级工程师", 1968),
    ("expert2", "冯丽华", 2, "高级工程师 · 信息安全", 1979),
    ("lead3", "张华", 1, "运营管理部 经理", 1978),
    ("lead4", "陈静", 0, "5G 网络专家", 1984),
    ("lead5", "刘强", 4, "高级技师", 1973),
    ("lead6", "杨帆", 2, "市场部 总监", 1981),
    ("lead7", "黄志勇", 6, "精密装配 高级技师", 1975),
    ("lead8", "何敏", 5, "后勤保障中心 主任", 1980),
    ("lead9", "赵刚", 1, "工艺工程师", 1969),
    ("lead10", "林晓东", 1, "客户服务中心 班组长", 1988),
]

EXTRA_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
EXTRA_GIVEN = ["晨", "思远", "雨桐", "子涵", "建华", "海涛", "丽娟", "国栋", "文博", "欣怡", "志强", "春梅"]

# name, unit index, type, level, leader username, founded, fields, description
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

# studio index -> [(username, role, joined)]
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


@dataclass
class Step:
    label: str
    run: Callable[[], None]


class DemoSeeder:
    def __init__(self, password: str = DEFAULT_PASSWORD) -> None:
        self.password = password
        self.password_hash = make_password(password)
        self.users: dict[str, Any] = {}
        self.groups: list[Unit] = []
        self.units: list[Unit] = []
        self.studios: list[Studio] = []

    def steps(self) -> list[Step]:
        return [
            Step("units", self.seed_units),
            Step("people", self.seed_people),
            Step("roles", self.seed_roles),
            Step("studios", self.seed_studios),
            Step("members", self.seed_members),
            Step("notifications", self.seed_notifications),
        ]

    def seed_units(self) -> None:
        for spec in GROUPS:
            group, _ = Unit.objects.update_or_create(
                name=spec["name"],
                defaults={**spec, "kind": Unit.Kind.GROUP, "has_union_committee": True},
            )
            self.groups.append(group)
        for name, group_index, kind, industry, region, headcount, committee in UNITS:
            unit, _ = Unit.objects.update_or_create(
                name=name,
                defaults={
                    "parent": self.groups[group_index],
                    "kind": kind,
                    "industry": industry,
                    "region": region,
                    "headcount": headcount,
                    "has_union_committee": committee,
                },
            )
            self.units.append(unit)

    def _user(
        self, username: str, display_name: str, unit: Unit | None, title: str, year: int | None, **extra
    ):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.unit = unit
        user.job_title = title
        user.birth_year = year
        user.email = user.email or f"{username}@example.com"
        for key, value in extra.items():
            setattr(user, key, value)
        if created or not user.has_usable_password():
            # One hash for every demo account: hashing is deliberately slow, demo accounts are many.
            user.password = self.password_hash
        user.save()
        self.users[username] = user
        return user

    def seed_people(self) -> None:
        self._user("admin", "工会管理员", None, "产业工会 经济技术部", 1975, is_staff=True, is_superuser=True)
        for username, name, unit_index, title, year in PEOPLE:
            self._user(username, name, self.units[unit_index], title, year)
        # Rank-and-file members who fill out the studios' teams.
        for index in range(24):
            name = EXTRA_SURNAMES[index % len(EXTRA_SURNAMES)] + EXTRA_GIVEN[index % len(EXTRA_GIVEN)]
            unit = self.units[index % len(self.units)]
            self._user(f"staff{index + 1:02d}", name, unit, "一线职工", 1965 + (index * 7) % 35)

    def seed_roles(self) -> None:
        for group in self.groups:
            AdminGrant.objects.get_or_create(user=self.users["admin"], group=group, region="")
        PosterGrant.objects.get_or_create(user=self.users["poster"], unit=self.units[0])
        ExpertProfile.objects.update_or_create(
            user=self.users["expert1"],
            defaults={
                "committee": ExpertProfile.Committee.TECHNICAL,
                "title": "教授级高级工程师",
                "fields": ["精密制造", "工艺评审", "质量管理"],
            },
        )
        ExpertProfile.objects.update_or_create(
            user=self.users["expert2"],
            defaults={
                "committee": ExpertProfile.Committee.ADVISORY,
                "title": "高级工程师",
                "fields": ["信息安全", "知识产权保护", "云计算"],
            },
        )

    def seed_studios(self) -> None:
        for name, unit_index, type_, level, leader, founded, fields, description in STUDIOS:
            reason = DELISTED.get(name, "")
            founded_on = datetime.date.fromisoformat(founded)
            studio, _ = Studio.objects.update_or_create(
                name=name,
                defaults={
                    "unit": self.units[unit_index],
                    "type": type_,
                    "level": level,
                    "leader": self.users[leader],
                    "founded_on": founded_on,
                    "fields": fields,
                    "description": description,
                    "status": Studio.Status.DELISTED if reason else Studio.Status.ACTIVE,
                    "delisted_reason": reason,
                },
            )
            StudioMembership.objects.get_or_create(
                studio=studio,
                user=self.users[leader],
                defaults={"role": StudioMembership.Role.LEADER, "joined_on": founded_on},
            )
            self.studios.append(studio)

    def seed_members(self) -> None:
        for studio_index, members in MEMBERS.items():
            for username, role, joined in members:
                StudioMembership.objects.get_or_create(
                    studio=self.studios[studio_index],
                    user=self.users[username],
                    defaults={"role": role, "joined_on": datetime.date.fromisoformat(joined)},
                )
        # Spread the rank-and-file staff over the studios of their own unit, apprentices included.
        for index in range(24):
            user = self.users[f"staff{index + 1:02d}"]
            candidates = [s for s in self.studios if s.unit_id == user.unit_id and s.is_active]
            if not candidates:
                continue
            studio = candidates[index % len(candidates)]
            role = (
                StudioMembership.Role.APPRENTICE if user.birth_year and user.birth_year > 1992 else "member"
            )
            StudioMembership.objects.get_or_create(
                studio=studio,
                user=user,
                defaults={"role": role, "joined_on": datetime.date(2018 + index % 7, 1 + index % 12, 1)},
            )

    def seed_notifications(self) -> None:
        welcome = [
            (
                "member1",
                "欢迎使用揭榜挂帅创新协作平台",
                "您已加入王建国劳模创新工作室，可在工作室页面查看团队动态。",
                f"/studios/{self.studios[0].pk}/",
            ),
            (
                "leader1",
                "新成员加入工作室",
                "吴佳琪已加入王建国劳模创新工作室。",
                f"/studios/{self.studios[0].pk}/",
            ),
            (
                "leader2",
                "欢迎使用揭榜挂帅创新协作平台",
                "完善工作室简介，便于发榜单位了解团队能力。",
                f"/studios/{self.studios[1].pk}/",
            ),
            (
                "poster",
                "欢迎使用揭榜挂帅创新协作平台",
                "您可以代表中国电信股份有限公司北京分公司发布课题。",
                "/",
            ),
            ("expert1", "专家库入库通知", "您已入选专业技术委员会专家库。", "/profile/"),
        ]
        for username, title, body, url in welcome:
            user = self.users[username]
            if not Notification.objects.filter(recipient=user, title=title).exists():
                notification_create(recipient=user, kind="welcome", title=title, body=body, url=url)

    def run(self, progress: Callable[[str], None] = lambda label: None) -> None:
        with transaction.atomic():
            for step in self.steps():
                step.run()
                progress(step.label)
