"""The consultation pages and API: the journey through the forms, the committees and their seats,
the union's figures, the public Q&A (anonymous visitors included), and the lists' query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from alliances.consulting import services
from alliances.consulting.models import Consultation, ConsultationFile, QAEntry
from platform_core.accounts.models import CommitteeSeat, ExpertProfile
from tests.consulting.world import pdf


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
def test_the_journey_through_the_pages(client, world, cast):
    client.force_login(cast.leader1)
    response = client.post(
        reverse("consulting:ask"),
        {
            "committee": "technical",
            "on_behalf": str(cast.studio1.pk),
            "title": "铝合金焊接裂纹",
            "body": "如何避免热裂纹？",
            "work_fields": "焊接, 材料",
            "file": pdf("工艺卡.pdf"),
        },
    )
    consultation = Consultation.objects.get(title="铝合金焊接裂纹")
    assert response.status_code == 302 and response["Location"] == reverse(
        "consulting:detail", args=[consultation.pk]
    )
    assert consultation.studio == cast.studio1
    assert sorted(consultation.fields.values_list("name", flat=True)) == ["材料", "焊接"]
    assert ConsultationFile.objects.get(consultation=consultation).name == "工艺卡.pdf"

    client.force_login(cast.expert)
    assert "铝合金焊接裂纹" in client.get(reverse("consulting:index")).content.decode()
    client.post(reverse("consulting:take", args=[consultation.pk]))
    page = client.get(reverse("consulting:detail", args=[consultation.pk])).content.decode()
    assert "data-chat" in page  # the private thread
    client.post(reverse("consulting:answer", args=[consultation.pk]), {"answer": "预热并选用合适焊丝。"})

    client.force_login(cast.leader1)
    client.post(reverse("consulting:rate", args=[consultation.pk]), {"rating": "5", "comment": "解决了"})
    response = client.post(reverse("consulting:publish", args=[consultation.pk]), {"hide_name": "on"})
    entry = QAEntry.objects.get(consultation=consultation)
    assert response["Location"] == reverse("consulting:qa_detail", args=[entry.pk])
    consultation.refresh_from_db()
    assert (consultation.status, consultation.rating, entry.asker_name) == ("closed", 5, "")


@pytest.mark.django_db
def test_a_refused_question_comes_back_with_what_was_typed(client, world, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("consulting:ask"), {"committee": "technical", "title": "只有标题", "body": ""}
    )
    assert response.status_code == 400
    assert "只有标题" in response.content.decode()


@pytest.mark.django_db
def test_the_api_journey(world, cast):
    asker, expert = api_for(cast.leader1), api_for(cast.expert)
    created = asker.post(
        reverse("api-consultations"),
        {"committee": "technical", "title": "接头盒进水", "body": "如何根治？", "work_fields": ["焊接"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert pk in [row["id"] for row in expert.get(reverse("api-consultations") + "?pool=1").json()["results"]]
    taken = expert.post(reverse("api-consultation-take", args=[pk]))
    assert taken.status_code == 200 and taken.json()["status"] == "taken" and taken.json()["room"]
    assert (
        expert.post(
            reverse("api-consultation-answer", args=[pk]), {"answer": "更换密封圈"}, format="json"
        ).status_code
        == 200
    )
    rated = asker.post(reverse("api-consultation-rate", args=[pk]), {"rating": 4}, format="json")
    assert rated.json()["rating"] == 4 and rated.json()["flags"]["can_publish"] is True
    published = asker.post(reverse("api-consultation-publish", args=[pk]), {"hide_name": True}, format="json")
    assert published.status_code == 201 and published.json()["asker_name"] == ""
    assert (
        asker.post(reverse("api-consultation-rate", args=[pk]), {"rating": 9}, format="json").status_code
        == 400
    )


@pytest.mark.django_db
def test_the_api_refuses_a_conflicted_take_and_an_unknown_committee(world, cast):
    recused = api_for(cast.recused)
    assert recused.post(reverse("api-consultation-take", args=[world.waiting.pk])).status_code == 404
    missing = api_for(cast.member).post(
        reverse("api-consultations"), {"committee": "nope", "title": "问", "body": "问"}, format="json"
    )
    assert missing.status_code == 404


@pytest.mark.django_db
def test_the_chair_assigns_through_the_api(world, cast):
    chair = api_for(cast.poster2)
    detail = chair.get(reverse("api-consultation", args=[world.waiting.pk])).json()
    assert [choice["id"] for choice in detail["assign_choices"]] == [cast.expert.pk]
    refused = chair.post(
        reverse("api-consultation-assign", args=[world.waiting.pk]),
        {"expert_id": cast.recused.pk},
        format="json",
    )
    assert refused.status_code == 400
    done = chair.post(
        reverse("api-consultation-assign", args=[world.waiting.pk]),
        {"expert_id": cast.expert.pk},
        format="json",
    )
    assert done.status_code == 200 and done.json()["expert"]["id"] == cast.expert.pk


# Public Q&A -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_find_the_qa_by_a_two_character_word(client, world, cast):
    with translation.override("en"):
        page = client.get(reverse("consulting:qa_list") + "?q=专利").content.decode()
    assert "操作法能否申请专利保护" in page
    assert "数控车床" not in client.get(reverse("consulting:qa_list") + "?q=数控").content.decode()
    detail = client.get(reverse("consulting:qa_detail", args=[world.qa.pk]))
    assert detail.status_code == 200
    assert str(cast.leader2) not in detail.content.decode()
    found = APIClient().get(reverse("api-qa") + "?q=专利").json()
    assert [row["id"] for row in found["results"]] == [world.qa.pk]
    assert APIClient().get(reverse("api-qa-entry", args=[world.qa.pk])).json()["asker_name"] == ""


@pytest.mark.django_db
def test_the_qa_kind_is_registered_for_the_combined_search(world):
    from alliances import knowledge

    kind = knowledge.kind("qa")
    assert kind is not None
    from django.contrib.auth.models import AnonymousUser

    rows = kind.index.matching(kind.visible(AnonymousUser()), "专利")
    assert list(rows) == [world.qa]
    hit = kind.hit(world.qa, "专利")
    assert "<mark>专利</mark>" in hit.title and hit.url == reverse("consulting:qa_detail", args=[world.qa.pk])


# Committees -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_union_admins_manage_committees_and_seats_on_the_pages(client, world, cast):
    client.force_login(cast.admin)
    url = reverse("consulting:seat_add", args=["ip"])
    assert client.post(url, {"user": cast.outsider.username}).status_code == 302
    assert CommitteeSeat.objects.filter(committee=world.ip, user=cast.outsider).exists()
    # A new expert gets a profile, their home committee the one they were seated on.
    assert ExpertProfile.objects.get(user=cast.outsider).committee == "ip"
    client.post(reverse("consulting:seat_remove", args=["ip", cast.outsider.pk]))
    assert not CommitteeSeat.objects.filter(committee=world.ip, user=cast.outsider).exists()
    client.post(
        reverse("consulting:committee_edit", args=["ip"]),
        {
            "name": "知识产权委员会",
            "description": "",
            "chair": cast.panelist.username,
            "escalate_after_hours": "24",
        },
    )
    world.ip.refresh_from_db()
    assert (world.ip.name, world.ip.chair, world.ip.escalate_after_hours) == (
        "知识产权委员会",
        cast.panelist,
        24,
    )
    response = client.post(
        reverse("consulting:committee_new"),
        {"code": "safety", "name": "安全生产委员会", "escalate_after_hours": "48"},
    )
    assert response["Location"] == reverse("consulting:committee", args=["safety"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "expert", "poster2", "leader1"])
def test_no_one_else_manages_committees(client, world, cast, role):
    client.force_login(getattr(cast, role))
    assert (
        client.post(reverse("consulting:seat_add", args=["ip"]), {"user": cast.outsider.username}).status_code
        == 403
    )
    assert client.get(reverse("consulting:committee_new")).status_code == 403
    assert client.get(reverse("consulting:figures")).status_code == 403
    assert not CommitteeSeat.objects.filter(user=cast.outsider).exists()


@pytest.mark.django_db
def test_the_committees_api(world, cast):
    rows = api_for(cast.member).get(reverse("api-committees")).json()["results"]
    assert [row["code"] for row in rows] == ["advisory", "technical", "policy", "guidance", "ip"]
    technical = api_for(cast.member).get(reverse("api-committee", args=["technical"])).json()
    assert sorted(person["id"] for person in technical["experts"]) == sorted(
        [cast.expert.pk, cast.recused.pk]
    )
    assert technical["chair"]["id"] == cast.poster2.pk


@pytest.mark.django_db
def test_the_union_figures_show_time_to_first_answer_and_ratings_per_committee(client, world, cast):
    client.force_login(cast.superadmin)
    with translation.override("en"):
        page = client.get(reverse("consulting:figures")).content.decode()
    assert 'data-committee="ip"' in page
    from alliances.consulting.figures import committee_figures

    rows = {row.committee.code: row for row in committee_figures(cast.superadmin)}
    assert (rows["technical"].asked, rows["technical"].answered) == (3, 1)
    assert (rows["ip"].rated, rows["ip"].average_rating, rows["ip"].rating_counts) == (
        1,
        4.0,
        (0, 0, 0, 1, 0),
    )
    assert rows["ip"].first_answer_hours is not None and rows["ip"].first_answer_hours >= 0
    # admin2 oversees group H only: leader2's (unit B) question is not theirs to count.
    scoped = {row.committee.code: row for row in committee_figures(cast.admin2)}
    assert scoped["ip"].asked == 0 and scoped["technical"].asked == 1  # outsider, unit C


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_lists_take_a_fixed_number_of_queries(client, world, cast, django_assert_max_num_queries):
    for number in range(12):
        consultation = services.consultation_ask(
            actor=cast.outsider,
            committee=world.technical,
            studio=None,
            title=f"问题{number}",
            body="请教",
            fields=["焊接", f"领域{number}"],
        )
        if number % 2:
            services.consultation_take(actor=cast.expert, consultation=consultation)
    client.force_login(cast.expert)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("consulting:index")).status_code == 200
    client.force_login(cast.superadmin)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("consulting:index")).status_code == 200
    for number in range(6):
        closed = services.consultation_ask(
            actor=cast.outsider, committee=world.technical, title=f"专利{number}", body="问"
        )
        closed = services.consultation_take(actor=cast.expert, consultation=closed)
        closed = services.consultation_answer(actor=cast.expert, consultation=closed, answer="答")
        services.consultation_publish(actor=cast.outsider, consultation=closed)
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("consulting:qa_list") + "?q=专利").status_code == 200
    with django_assert_max_num_queries(8):
        assert APIClient().get(reverse("api-qa")).status_code == 200
    with django_assert_max_num_queries(12):
        assert api_for(cast.expert).get(reverse("api-consultations") + "?pool=1").status_code == 200
