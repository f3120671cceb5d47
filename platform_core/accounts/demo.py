"""Demo step of accounts: the people (the documented demo logins and rank-and-file staff), the
experts' profiles, and their welcome notifications. Where they work is the orgs step's business."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from platform_core.accounts.models import ExpertProfile
from platform_core.demo import DemoContext, notify_once

STAFF_COUNT = 24

# username, display name, job title, birth year
PEOPLE = [
    ("poster", "周海燕", "网络运营部 科技创新主管", 1982),
    ("leader1", "王建国", "高级技师 · 全国劳动模范", 1971),
    ("leader2", "李明", "研究员 · 大国工匠", 1976),
    ("member1", "赵晓雪", "网络优化工程师", 1994),
    ("member2", "孙浩然", "装配钳工 技师", 1990),
    ("member3", "吴佳琪", "数据分析师", 1997),
    ("member4", "郑伟", "数控车工 高级工", 1986),
    ("expert1", "钱志远", "教授级高级工程师", 1968),
    ("expert2", "冯丽华", "高级工程师 · 信息安全", 1979),
    ("lead3", "张华", "运营管理部 经理", 1978),
    ("lead4", "陈静", "5G 网络专家", 1984),
    ("lead5", "刘强", "高级技师", 1973),
    ("lead6", "杨帆", "市场部 总监", 1981),
    ("lead7", "黄志勇", "精密装配 高级技师", 1975),
    ("lead8", "何敏", "后勤保障中心 主任", 1980),
    ("lead9", "赵刚", "工艺工程师", 1969),
    ("lead10", "林晓东", "客户服务中心 班组长", 1988),
]

EXTRA_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
EXTRA_GIVEN = ["晨", "思远", "雨桐", "子涵", "建华", "海涛", "丽娟", "国栋", "文博", "欣怡", "志强", "春梅"]

# username, committee, professional title, fields of expertise
EXPERTS = [
    ("expert1", ExpertProfile.Committee.TECHNICAL, "教授级高级工程师", ["精密制造", "工艺评审", "质量管理"]),
    ("expert2", ExpertProfile.Committee.ADVISORY, "高级工程师", ["信息安全", "知识产权保护", "云计算"]),
]


def _person(ctx: DemoContext, username: str, display_name: str, title: str, year: int | None, **extra):
    user, created = get_user_model().objects.get_or_create(username=username)
    user.display_name = display_name
    user.job_title = title
    user.birth_year = year
    user.email = user.email or f"{username}@example.com"
    for key, value in extra.items():
        setattr(user, key, value)
    if created or not user.has_usable_password():
        user.password = ctx.password_hash
    user.save()
    ctx.users[username] = user


def run(ctx: DemoContext) -> None:
    _person(ctx, "admin", "工会管理员", "产业工会 经济技术部", 1975, is_staff=True, is_superuser=True)
    for username, name, title, year in PEOPLE:
        _person(ctx, username, name, title, year)
    # Rank-and-file members who fill out the studios' teams.
    for index in range(STAFF_COUNT):
        name = EXTRA_SURNAMES[index % len(EXTRA_SURNAMES)] + EXTRA_GIVEN[index % len(EXTRA_GIVEN)]
        _person(ctx, f"staff{index + 1:02d}", name, "一线职工", 1965 + (index * 7) % 35)
    for username, committee, title, fields in EXPERTS:
        ExpertProfile.objects.update_or_create(
            user=ctx.users[username], defaults={"committee": committee, "title": title, "fields": fields}
        )
    notify_once(ctx.users["expert1"], "专家库入库通知", "您已入选专业技术委员会专家库。", "/profile/")
