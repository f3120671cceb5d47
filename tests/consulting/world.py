"""The consultations every consulting test (and the URL × role matrix) uses, made through the
services over the fixed cast (tests/cast.py).

The technical committee seats `expert` (unit B) and `recused` (unit A); `poster2` chairs it (the
chair need not sit on it). The IP committee seats `panelist` (unit C), the expert not on the
technical committee.

- `waiting`: leader1 asks the technical committee for studio1 (unit A), with a file: `expert`
  may take it; `recused` is tied to the asker (unit A) and may not.
- `taken`: `member` (unit A, in studio1) asks for themselves; `expert` took it (a private room).
- `closed`: `outsider` (unit C) asked; `expert` took and answered it; not rated nor published.
- `published`: leader2 asked the IP committee; `panelist` answered; rated 4, published with the
  asker's name hidden (`qa`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from alliances.consulting import services
from alliances.consulting.models import Consultation, ConsultationFile, QAEntry
from platform_core.accounts.committees import committee_save, committee_seat_grant, committees_ensure
from platform_core.accounts.models import Committee
from tests.cast import Cast


@dataclass
class ConsultingWorld:
    technical: Committee
    ip: Committee
    waiting: Consultation
    taken: Consultation
    closed: Consultation
    published: Consultation
    qa: QAEntry
    file: ConsultationFile


def pdf(name: str = "图纸.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% consulting\n%%EOF\n", content_type="application/pdf")


def make_committees(cast: Cast) -> tuple[Committee, Committee]:
    committees_ensure()
    technical = committee_save(
        actor=cast.superadmin,
        committee=Committee.objects.get(code="technical"),
        name="专业技术委员会",
        chair=cast.poster2,
        escalate_after_hours=48,
    )
    ip = Committee.objects.get(code="ip")
    committee_seat_grant(user=cast.expert, code="technical")
    committee_seat_grant(user=cast.recused, code="technical")
    committee_seat_grant(user=cast.panelist, code="ip")
    return technical, ip


def make_consulting_world(cast: Cast) -> ConsultingWorld:
    technical, ip = make_committees(cast)
    waiting = services.consultation_ask(
        actor=cast.leader1,
        committee=technical,
        studio=cast.studio1,
        title="焊接变形如何控制",
        body="薄板**焊接**后变形严重，有什么办法？",
        fields=["焊接"],
        files=[pdf()],
    )
    taken = services.consultation_ask(
        actor=cast.member, committee=technical, title="焊缝气孔的成因", body="气孔反复出现。", fields=["焊接"]
    )
    taken = services.consultation_take(actor=cast.expert, consultation=taken)
    closed = services.consultation_ask(
        actor=cast.outsider, committee=technical, title="数控车床精度补偿", body="怎样补偿热变形？"
    )
    closed = services.consultation_take(actor=cast.expert, consultation=closed)
    closed = services.consultation_answer(actor=cast.expert, consultation=closed, answer="按温度分段补偿。")
    published = services.consultation_ask(
        actor=cast.leader2,
        committee=ip,
        title="操作法能否申请专利保护",
        body="我们的先进操作法能申请专利吗？",
    )
    published = services.consultation_take(actor=cast.panelist, consultation=published)
    published = services.consultation_answer(
        actor=cast.panelist, consultation=published, answer="工具装置可申请实用新型专利。"
    )
    published = services.consultation_rate(
        actor=cast.leader2, consultation=published, rating=4, comment="有帮助"
    )
    qa = services.consultation_publish(actor=cast.leader2, consultation=published, hide_name=True)
    return ConsultingWorld(
        technical=technical,
        ip=ip,
        waiting=waiting,
        taken=taken,
        closed=closed,
        published=published,
        qa=qa,
        file=waiting.files.get(),
    )
