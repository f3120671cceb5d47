"""Demo teams, an alliance, a mentor pair and some chat history for `seed_demo`, made through the
services so that rooms, read markers and events are as in real use.

member1 (a unit of one group) and member2 (another unit) share a virtual team with some history;
member4 is in none of its rooms. leader1's and leader2's studios form an alliance. Idempotent: a
team or an alliance whose name exists is left alone.
"""

from __future__ import annotations

import datetime

from platform_core.demo import DemoContext
from platform_core.orgs.models import Studio

from .models import Alliance, MentorPair, Team
from .services import alliances, mentors, rooms, teams

TEAM_NAME = "5G 智慧工厂联合攻关队"
ALLIANCE_NAME = "装备制造创新工作室联盟"
HISTORY = [
    ("member1", "大家好，本队负责 **5G 专网** 在总装车间的落地，先对齐一下进度。"),
    ("member2", "收到。装配线的 AGV 调度接口我这边已经梳理完，文档见 https://example.com/agv-spec"),
    ("member1", "@member2 时延指标能否压到 *20 毫秒* 以内？"),
    ("member2", "实测平均 18 毫秒，峰值 35 毫秒，下周做切片优化。"),
    ("member1", "好，周五例会上过一下：\n- 切片方案\n- 现场测试计划"),
]


def _studio_led_by(user) -> Studio | None:
    return Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE).order_by("pk").first()


def _team(ctx: DemoContext) -> None:
    if Team.objects.filter(name=TEAM_NAME).exists():
        return
    member1, member2 = ctx.users["member1"], ctx.users["member2"]
    team = teams.team_create(
        actor=member1, name=TEAM_NAME, purpose="跨单位攻关 5G 专网在离散制造车间的低时延组网与 AGV 协同调度。"
    )
    teams.team_update(actor=member1, team=team, status=Team.Status.ACTIVE)
    invitation = teams.team_invite(actor=member1, team=team, user=member2)
    teams.invitation_accept(actor=member2, invitation_id=invitation.pk)
    room = rooms.room_for_team(team)
    previous = None
    for index, (username, body) in enumerate(HISTORY, start=1):
        previous, _created = rooms.message_send(
            actor=ctx.users[username],
            room_id=room.pk,
            client_id=f"demo-{team.pk}-{index}",
            body=body,
            reply_to=previous.pk if previous is not None and index == 4 else None,
        )


def _alliance(ctx: DemoContext) -> None:
    if Alliance.objects.filter(name=ALLIANCE_NAME).exists():
        return
    first, second = _studio_led_by(ctx.users["leader1"]), _studio_led_by(ctx.users["leader2"])
    if first is None or second is None:
        return
    alliance = alliances.alliance_create(
        actor=ctx.users["leader1"],
        name=ALLIANCE_NAME,
        charter="共享工艺难题、联合攻关、互派骨干交流；每季度轮值举办一次技术交流会。",
        coordinator=first,
    )
    request = alliances.alliance_request_join(actor=ctx.users["leader2"], alliance=alliance, studio=second)
    alliances.alliance_membership_answer(actor=ctx.users["leader1"], membership_id=request.pk, accept=True)
    room = rooms.room_for_alliance(alliance)
    rooms.message_send(
        actor=ctx.users["leader1"],
        room_id=room.pk,
        client_id=f"demo-alliance-{alliance.pk}",
        body="欢迎加入联盟！",
    )


def _mentor_pair(ctx: DemoContext) -> None:
    leader, apprentice = ctx.users["leader1"], ctx.users["member3"]
    studio = _studio_led_by(leader)
    if (
        studio is None
        or MentorPair.objects.filter(studio=studio, mentor=leader, apprentice=apprentice).exists()
    ):
        return
    pair = mentors.mentor_pair_create(
        actor=leader,
        studio=studio,
        mentor=leader,
        apprentice=apprentice,
        skill="工业数据分析",
        started_on=datetime.date(2026, 3, 1),
        goals="一年内独立完成产线能耗数据建模，并带出一项合理化建议。",
    )
    mentors.mentor_note_add(actor=leader, pair=pair, text="已完成数据清洗训练，下一步学习时序建模。")


def run(ctx: DemoContext) -> None:
    _team(ctx)
    _alliance(ctx)
    _mentor_pair(ctx)
