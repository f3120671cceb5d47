"""The life of a consultation through its services: who is told of a new question, taking it,
the escalation to the chair, answering, rating and publishing as public Q&A."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.consulting import periodic, services
from alliances.consulting.models import Consultation, QAEntry
from platform_core.accounts.committees import committee_seat_grant
from platform_core.accounts.models import ExpertProfile
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.django_db
def test_the_experts_whose_fields_fit_are_told_and_never_a_conflicted_one(world, cast):
    # expert and recused both work in 焊接 (tests/cast.py); recused is tied to leader1 and member
    # (unit A), so of the world's technical questions only `closed` (outsider's, no field: every
    # expert of the committee) reaches them.
    assert _told(cast.expert, "consulting.asked") == 3
    assert _told(cast.recused, "consulting.asked") == 1
    assert _told(cast.panelist, "consulting.asked") == 1  # the IP committee's question


@pytest.mark.django_db
def test_with_no_fitting_field_every_expert_of_the_committee_is_told(world, cast):
    ExpertProfile.objects.filter(user=cast.expert).update(fields=["数控"])
    before = _told(cast.expert, "consulting.asked")
    services.consultation_ask(
        actor=cast.outsider, committee=world.technical, title="一个问题", body="请教", fields=["冶金"]
    )
    assert _told(cast.expert, "consulting.asked") == before + 1


@pytest.mark.django_db
def test_taking_opens_the_thread_and_tells_the_asker(world, cast):
    consultation = services.consultation_take(actor=cast.expert, consultation=world.waiting)
    assert consultation.status == Consultation.Status.TAKEN
    assert consultation.room is not None and consultation.taken_at is not None
    assert _told(cast.leader1, "consulting.taken") == 1
    assert AuditEntry.objects.filter(action="consulting.taken", target_id=consultation.pk).exists()


@pytest.mark.django_db
def test_an_untaken_question_goes_to_the_chair_after_the_committees_time_once(world, cast):
    asked = world.waiting.created_at
    assert periodic.run(asked + datetime.timedelta(hours=47)) == {"escalated": 0}
    later = asked + datetime.timedelta(hours=49)
    # `taken` is also past its time unanswered: both go to the chair.
    assert periodic.run(later) == {"escalated": 2}
    assert periodic.run(later) == {"escalated": 0}
    waiting = Consultation.objects.get(pk=world.waiting.pk)
    assert waiting.status == Consultation.Status.ESCALATED and waiting.escalated_at == later
    assert _told(cast.poster2, "consulting.escalated") == 2
    # An expert may still take it; the chair may assign it.
    services.consultation_assign(actor=cast.poster2, consultation=waiting, expert=cast.expert)
    assert Consultation.objects.get(pk=world.waiting.pk).status == Consultation.Status.TAKEN


@pytest.mark.django_db
def test_the_chair_reassigns_a_question_left_unanswered_and_the_former_expert_leaves_the_thread(world, cast):
    from alliances.permissions import is_room_member

    committee_seat_grant(user=cast.panelist, code="technical")
    services.consultations_escalate(world.taken.taken_at + datetime.timedelta(hours=49))
    taken = Consultation.objects.get(pk=world.taken.pk)
    assert taken.status == Consultation.Status.TAKEN and taken.escalated_at is not None
    services.consultation_assign(actor=cast.poster2, consultation=taken, expert=cast.panelist)
    taken = Consultation.objects.get(pk=world.taken.pk)
    assert taken.expert == cast.panelist
    assert is_room_member(cast.panelist, taken.room) and not is_room_member(cast.expert, taken.room)


@pytest.mark.django_db
def test_a_committee_without_a_chair_still_escalates_without_telling_anyone(world, cast):
    consultation = services.consultation_ask(
        actor=cast.outsider, committee=world.ip, title="专利", body="请教"
    )
    assert services.consultations_escalate(consultation.created_at + datetime.timedelta(hours=49)) >= 1
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.ESCALATED


@pytest.mark.django_db
def test_the_answer_closes_and_is_sanitised(world, cast):
    consultation = services.consultation_answer(
        actor=cast.expert, consultation=world.taken, answer="**烘干**焊条 <script>alert(1)</script>"
    )
    assert consultation.status == Consultation.Status.CLOSED
    assert "<strong>烘干</strong>" in consultation.answer_html
    assert "<script>" not in consultation.answer_html
    assert _told(cast.member, "consulting.answered") == 1
    with pytest.raises(ValidationError):
        services.consultation_answer(actor=cast.expert, consultation=world.waiting, answer="   ")


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_a_rating_is_a_whole_number_from_1_to_5(world, cast, rating):
    with pytest.raises(ValidationError):
        services.consultation_rate(actor=cast.outsider, consultation=world.closed, rating=rating)


@pytest.mark.django_db
def test_the_asker_rates_once_and_the_expert_is_told(world, cast):
    services.consultation_rate(actor=cast.outsider, consultation=world.closed, rating=3, comment="还行")
    closed = Consultation.objects.get(pk=world.closed.pk)
    assert (closed.rating, closed.rating_comment) == (3, "还行")
    assert _told(cast.expert, "consulting.rated") == 1
    with pytest.raises(PermissionDenied):
        services.consultation_rate(actor=cast.outsider, consultation=closed, rating=5)


@pytest.mark.django_db
def test_an_unanswered_question_can_be_neither_rated_nor_published(world, cast):
    with pytest.raises(PermissionDenied):
        services.consultation_rate(actor=cast.member, consultation=world.taken, rating=5)
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=cast.member, consultation=world.taken)


@pytest.mark.django_db
def test_publishing_with_the_name_hidden_keeps_the_asker_out_of_the_entry(world, cast):
    qa = world.qa
    assert qa.asker_name == "" and qa.expert_name == str(cast.panelist)
    assert qa.title == "操作法能否申请专利保护"
    shown = QAEntry.objects.get(pk=qa.pk)
    assert str(cast.leader2) not in (shown.title + shown.question_html + shown.answer_html + shown.asker_name)
    entry = services.consultation_publish(actor=cast.outsider, consultation=world.closed, hide_name=False)
    assert entry.asker_name == str(cast.outsider)
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=cast.outsider, consultation=world.closed)


@pytest.mark.django_db
def test_the_asker_withdraws_an_unanswered_question(world, cast):
    services.consultation_withdraw(actor=cast.leader1, consultation=world.waiting)
    assert Consultation.objects.get(pk=world.waiting.pk).status == Consultation.Status.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.consultation_withdraw(actor=cast.outsider, consultation=world.closed)


@pytest.mark.django_db
def test_only_a_studios_leader_asks_for_it(world, cast):
    with pytest.raises(ValidationError):
        services.consultation_ask(
            actor=cast.member, committee=world.technical, studio=cast.studio1, title="问", body="问"
        )


@pytest.mark.django_db
def test_a_question_needs_a_title_and_text(world, cast):
    for title, body in (("", "问题"), ("标题", "  ")):
        with pytest.raises(ValidationError):
            services.consultation_ask(actor=cast.member, committee=world.technical, title=title, body=body)
