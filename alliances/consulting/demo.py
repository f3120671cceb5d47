"""Demo step of consultations: the five committees with their seats and chair, one question
waiting for the technical committee (asked by leader1), and one answered, rated and published as
public Q&A (its asker's name hidden)."""

from __future__ import annotations

from alliances.services.rooms import message_send
from platform_core.accounts.committees import committee_seat_grant, committees_ensure
from platform_core.accounts.models import Committee
from platform_core.demo import DemoContext
from platform_core.orgs.models import Studio

from . import services
from .models import Consultation

DESCRIPTIONS = {
    "advisory": "为职工创新和工作室建设提供综合咨询。",
    "technical": "对技术攻关、工艺改进中的专业问题给出意见。",
    "policy": "解读劳模和工匠人才创新工作室的扶持政策、评选办法。",
    "guidance": "深入一线，对技术难题给予指导。",
    "ip": "指导职工创新成果的专利申请与知识产权保护。",
}
# username -> the committees they sit on; expert2 chairs them all.
SEATS = {"expert1": ["technical", "guidance"], "expert2": ["advisory", "policy", "ip"]}

OPEN_TITLE = "光缆接头盒进水导致衰耗增大，如何根治？"
PUBLIC_TITLE = "职工总结的先进操作法能否申请专利保护？"


def run(ctx: DemoContext) -> None:
    users = ctx.users
    for committee in committees_ensure():
        committee.description = committee.description or DESCRIPTIONS.get(committee.code, "")
        committee.chair = committee.chair or users["expert2"]
        committee.save(update_fields=["description", "chair"])
    for username, codes in SEATS.items():
        for code in codes:
            committee_seat_grant(user=users[username], code=code)
    existing = set(Consultation.objects.values_list("title", flat=True))
    if OPEN_TITLE not in existing:
        services.consultation_ask(
            actor=users["leader1"],
            committee=Committee.objects.get(code="technical"),
            studio=Studio.objects.filter(leader=users["leader1"], status=Studio.Status.ACTIVE).first(),
            title=OPEN_TITLE,
            body=(
                "雨季过后，多处**光缆接头盒**进水，衰耗增大 0.5 dB 以上。\n\n"
                "- 已更换密封胶条\n- 仍反复出现\n\n请专家指导根治办法。"
            ),
            fields=["传输网维护", "光纤接续"],
        )
    if PUBLIC_TITLE not in existing:
        _answered_and_published(users)


def _answered_and_published(users) -> None:
    consultation = services.consultation_ask(
        actor=users["member1"],
        committee=Committee.objects.get(code="ip"),
        title=PUBLIC_TITLE,
        body="我们班组总结了一套光纤熔接的先进操作法，能否申请专利？需要准备哪些材料？",
        fields=["知识产权保护", "光纤接续"],
    )
    consultation = services.consultation_take(actor=users["expert2"], consultation=consultation)
    assert consultation.room is not None
    message_send(
        actor=users["expert2"],
        room_id=consultation.room.pk,
        client_id="demo-qa-1",
        body="请问操作法是否涉及新的工具或装置？",
    )
    message_send(
        actor=users["member1"],
        room_id=consultation.room.pk,
        client_id="demo-qa-2",
        body="有一个自制的熔接定位夹具。",
    )
    consultation = services.consultation_answer(
        actor=users["expert2"],
        consultation=consultation,
        answer=(
            "纯粹的操作方法一般难以获得专利，但**自制的定位夹具**可以申请实用新型专利。\n\n"
            "- 准备说明书、附图和权利要求书\n- 先做专利检索，避免与现有技术重复\n"
            "- 操作法本身可作为先进操作法申报命名，并以技术秘密方式保护"
        ),
    )
    consultation = services.consultation_rate(
        actor=users["member1"], consultation=consultation, rating=5, comment="解答清楚，已着手申请。"
    )
    services.consultation_publish(actor=users["member1"], consultation=consultation, hide_name=True)
