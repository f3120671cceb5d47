"""The challenge pages, thinly: status, who may open what, that the page calls the service, and the
board's query count with 10,000 challenges. The rules themselves are tested on the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.lifecycle import State
from challenges.models import Bid, Challenge, Question
from frontend.views import challenges as challenge_views
from tests.cast import ROLES, every_role_except


def open_as(client, cast, role: str | None):
    if role is not None:
        client.force_login(getattr(cast, role))
    return client


def test_anonymous_visitors_see_the_board_and_a_public_challenge_but_not_a_draft(client, world):
    published = world.published(title="公开课题")
    draft = world.draft(title="草稿课题")
    board = client.get(reverse("challenges:board"))
    assert board.status_code == 200
    assert "公开课题" in board.content.decode() and "草稿课题" not in board.content.decode()
    assert client.get(reverse("challenges:detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("challenges:detail", args=[draft.pk])).status_code == 404


def test_the_board_finds_a_chinese_substring_of_the_statement(client, world):
    world.published(title="甲", statement="寻求可推广的余热回收方案")
    world.published(title="乙", statement="别的内容")
    page = client.get(reverse("challenges:board"), {"q": "余热"}).content.decode()
    assert ">甲<" in page and ">乙<" not in page


def test_the_board_filters_by_posting_unit(client, world):
    world.published(title="甲单位课题")
    page = client.get(reverse("challenges:board"), {"unit": world.cast.unit_b.pk}).content.decode()
    assert "甲单位课题" not in page
    page = client.get(reverse("challenges:board"), {"unit": world.cast.unit_a.pk}).content.decode()
    assert "甲单位课题" in page


def test_bad_board_filters_are_ignored_not_a_500(client, world):
    world.published()
    response = client.get(reverse("challenges:board"), {"reward_min": "abc", "sort": "evil", "page": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("role", [*ROLES, None])
def test_a_draft_page_opens_only_to_the_poster_side(client, world, role):
    draft = world.draft()
    response = open_as(client, world.cast, role).get(reverse("challenges:detail", args=[draft.pk]))
    assert response.status_code == (200 if role in ("superadmin", "admin", "poster") else 404)


@pytest.mark.parametrize("role", every_role_except("poster", "superadmin", "admin"))
def test_only_the_poster_side_opens_the_edit_page(client, world, role):
    draft = world.draft()
    response = open_as(client, world.cast, role).get(reverse("challenges:edit", args=[draft.pk]))
    assert response.status_code in (403, 404)
    assert (
        open_as(client, world.cast, "poster").get(reverse("challenges:edit", args=[draft.pk])).status_code
        == 200
    )


def test_the_post_page_creates_the_draft_through_the_service(client, world):
    client.force_login(world.cast.poster)
    deadline = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "unit": world.cast.unit_a.pk,
        "title": "新课题",
        "statement": "说明",
        "fields_text": "节能，5G",
        "reward_amount": "1000",
        "reward_form": "money",
        "bidding_deadline": deadline,
        "expected_delivery": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "eligibility": "open",
        "ip_ownership": "poster",
        "contact_name": "周",
        "award_mode": "single",
        "max_winners": "1",
        "criteria_text": "技术 | 60\n团队 | 40",
    }
    response = client.post(reverse("challenges:new"), form)
    challenge = Challenge.objects.get(title="新课题")
    assert response.status_code == 302 and response["Location"] == reverse(
        "challenges:detail", args=[challenge.pk]
    )
    assert challenge.fields == ["节能", "5G"]
    assert [(c.name, c.weight) for c in challenge.criteria.all()] == [("技术", 60), ("团队", 40)]


def test_criteria_whose_weights_do_not_add_up_to_100_are_refused_on_the_form(client, world):
    client.force_login(world.cast.poster)
    response = client.post(reverse("challenges:new"), {"criteria_text": "技术 | 60"})
    assert response.status_code == 200
    assert not Challenge.objects.exists()


def test_a_member_without_a_grant_may_not_open_the_post_page(client, world):
    client.force_login(world.cast.member)
    assert client.get(reverse("challenges:new")).status_code == 403


def test_the_lifecycle_button_calls_the_transition_service(client, world):
    draft = world.draft()
    client.force_login(world.cast.poster)
    with mock.patch.object(challenge_views.challenge_services, "challenge_transition") as transition:
        client.post(reverse("challenges:transition", args=[draft.pk]), {"action": "submit"})
    transition.assert_called_once()
    assert transition.call_args.kwargs["action"] == "submit"
    assert transition.call_args.kwargs["actor"] == world.cast.poster


def test_a_refused_transition_shows_the_message_and_changes_nothing(client, world):
    draft = world.draft()
    client.force_login(world.cast.poster)
    response = client.post(reverse("challenges:transition", args=[draft.pk]), {"action": "approve"})
    # The challenge page again, in place (forms_flow), the refusal above the buttons.
    assert response.status_code == 400
    assert response.templates[0].name == "frontend/challenges/detail.html"
    assert 'class="message message-error" role="alert"' in response.content.decode()
    client.force_login(world.cast.leader1)  # sees the draft as "not found" before any rule
    assert (
        client.post(reverse("challenges:transition", args=[draft.pk]), {"action": "withdraw"}).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_asking_and_answering_a_question(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader2)
    client.post(reverse("challenges:ask", args=[challenge.pk]), {"body": "可以联合投标吗？"})
    question = Question.objects.get()
    client.force_login(world.cast.poster)
    client.post(reverse("challenges:answer", args=[challenge.pk, question.pk]), {"answer": "可以。"})
    question.refresh_from_db()
    assert question.answer == "可以。"


def _bid_form(challenge: Challenge, studio) -> dict:
    due = challenge.bidding_deadline.date() + datetime.timedelta(days=30)
    return {
        "bidder": f"studio:{studio.pk}",
        "approach": "方案",
        "budget": "1000",
        "milestones_text": f"设计 | {due.isoformat()} | 100 | 文档",
        "team_text": "王 | 负责人",
        "commitment_text": "保证完成",
        "signer_name": "王建国",
        "signed": "on",
    }


def test_the_bid_form_submits_through_the_service_with_the_plan_parsed(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader1)
    assert client.get(reverse("challenges:bid_new", args=[challenge.pk])).status_code == 200
    with mock.patch.object(challenge_views.bid_services, "bid_submit") as submit:
        client.post(
            reverse("challenges:bid_new", args=[challenge.pk]), _bid_form(challenge, world.cast.studio1)
        )
    kwargs = submit.call_args.kwargs
    assert kwargs["studio"] == world.cast.studio1 and kwargs["signer_name"] == "王建国"
    assert kwargs["milestones"][0]["title"] == "设计" and kwargs["milestones"][0]["reward_share"] == Decimal(
        "100"
    )
    assert kwargs["team_composition"] == [{"name": "王", "role": "负责人"}]


def test_an_unsigned_commitment_letter_is_refused(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader1)
    form = _bid_form(challenge, world.cast.studio1)
    del form["signed"]
    assert client.post(reverse("challenges:bid_new", args=[challenge.pk]), form).status_code == 400
    assert not Bid.objects.exists()


def test_a_competitor_cannot_open_another_studios_bid_edit_page(client, world):
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    client.force_login(world.cast.leader2)
    assert client.get(reverse("challenges:bid_edit", args=[bid.pk])).status_code == 404
    assert client.post(reverse("challenges:bid_withdraw", args=[bid.pk])).status_code == 404
    client.force_login(world.cast.leader1)
    assert client.get(reverse("challenges:bid_edit", args=[bid.pk])).status_code == 200


def test_my_bids_lists_only_my_own(client, world):
    challenge = world.published(title="共同课题")
    world.bid(challenge, "leader1", approach="一号方案")
    world.bid(challenge, "leader2", approach="二号方案")
    client.force_login(world.cast.leader1)
    page = client.get(reverse("challenges:my_bids")).content.decode()
    assert str(world.cast.studio1) in page and str(world.cast.studio2) not in page


@pytest.mark.parametrize("role", ROLES)
def test_the_review_page_opens_to_the_poster_side_and_assigned_experts_only(client, world, role):
    challenge = world.in_state(State.UNDER_REVIEW)
    from challenges.services import reviews

    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    response = open_as(client, world.cast, role).get(reverse("challenges:review", args=[challenge.pk]))
    assert response.status_code == (200 if role in ("superadmin", "admin", "poster") else 404)
    client.force_login(world.expert2)
    assert client.get(reverse("challenges:review", args=[challenge.pk])).status_code == 200


def test_a_recused_expert_is_told_so_without_the_bidder_named_and_no_longer_opens_the_review(client, world):
    challenge = world.in_state(State.UNDER_REVIEW)
    from challenges.services import reviews

    # `expert` works in unit B, where studio2 (a bidder) is: recused on assignment.
    assignment = reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.cast.expert)
    assert assignment.recused
    client.force_login(world.cast.expert)
    page = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    # The stored reason names the conflicting bidder (studio2, a competitor maybe): the page gives
    # the generic notice, as the notification does.
    assert world.cast.studio2.name in assignment.recusal_reason
    assert 'data-recusal="automatic"' in page
    assert assignment.recusal_reason not in page and world.cast.studio2.name not in page
    assert client.get(reverse("challenges:review", args=[challenge.pk])).status_code == 404


def test_the_score_form_calls_the_scoring_service(client, world):
    challenge = world.in_state(State.UNDER_REVIEW)
    from challenges.services import reviews

    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    bid = challenge.bids.first()
    criteria = list(challenge.criteria.all())
    form = {f"bid{bid.pk}-value_{c.pk}": "80" for c in criteria}
    form |= {f"bid{bid.pk}-comment_{c.pk}": "好" for c in criteria}
    client.force_login(world.expert2)
    client.post(reverse("challenges:score", args=[challenge.pk, bid.pk]), form)
    assert bid.scores.filter(expert=world.expert2).count() == len(criteria)


def test_the_award_form_awards_through_the_service(client, world):
    challenge = world.in_state(State.UNDER_REVIEW)
    winner = challenge.bids.order_by("pk").last()
    client.force_login(world.cast.poster)
    client.post(
        reverse("challenges:award", args=[challenge.pk]),
        {"winners": [winner.pk], "rationale": "最优", f"feedback_{challenge.bids.first().pk}": "预算偏高"},
    )
    challenge.refresh_from_db()
    assert challenge.state == State.AWARDED
    assert challenge.bids.get(status=Bid.Status.LOST).feedback == "预算偏高"


def test_milestone_evidence_and_acceptance_through_the_pages(client, world):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = challenge.milestones.order_by("position").first()
    client.force_login(world.cast.leader2)
    assert client.get(reverse("challenges:milestones", args=[challenge.pk])).status_code == 200
    client.post(reverse("challenges:milestone_submit", args=[milestone.pk]), {"evidence_note": "测试报告"})
    client.force_login(world.cast.poster)
    client.post(
        reverse("challenges:milestone_review", args=[milestone.pk]), {"accept": "1", "comments": "好"}
    )
    milestone.refresh_from_db()
    assert milestone.status == "accepted"
    client.force_login(world.cast.leader1)  # the loser does not see the winner's evidence forms
    assert (
        client.post(reverse("challenges:milestone_review", args=[milestone.pk]), {"accept": "0"}).status_code
        == 404
    )


def test_problems_are_submitted_and_drafted_into_a_challenge(client, world):
    client.force_login(world.cast.member)
    client.post(
        reverse("challenges:problems"),
        {
            "title": "巡检效率低",
            "description": "人工巡检耗时",
            "unit": world.cast.unit_a.pk,
            "urgency": "high",
        },
    )
    problem = world.cast.member.submitted_problems.get()
    client.force_login(world.cast.poster)
    response = client.post(reverse("challenges:problem_draft"), {"problems": [problem.pk]})
    problem.refresh_from_db()
    assert problem.challenge is not None
    assert response["Location"] == reverse("challenges:edit", args=[problem.challenge.pk])


def test_notification_links_resolve_to_the_challenge_page(client, world):
    challenge = world.published()
    from challenges.services.common import challenge_url

    assert challenge_url(challenge) == reverse("challenges:detail", args=[challenge.pk])


def _many_challenges(world, count: int) -> None:
    template = world.published()
    deadline = timezone.now() + datetime.timedelta(days=5)
    Challenge.objects.bulk_create(
        Challenge(
            title=f"课题{i}",
            statement="说明",
            unit=template.unit,
            poster=template.poster,
            bidding_deadline=deadline,
            expected_delivery=template.expected_delivery,
            contact_name="周",
            state=State.PUBLISHED,
            fields=["节能"],
            fields_key="|节能|",
        )
        for i in range(count)
    )


def _board_queries(client, page_size: int, monkeypatch) -> int:
    monkeypatch.setattr(challenge_views, "BOARD_PAGE_SIZE", page_size)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("challenges:board"), {"sort": "newest"}).status_code == 200
    return len(queries)


def test_the_board_query_count_does_not_grow_with_the_data_or_the_page_size(client, world, monkeypatch):
    client.force_login(world.cast.leader1)
    _many_challenges(world, 30)
    few = _board_queries(client, 10, monkeypatch)
    _many_challenges(world, 10_000)
    assert Challenge.objects.count() > 10_000
    many = _board_queries(client, 10, monkeypatch)
    bigger_page = _board_queries(client, 50, monkeypatch)
    assert few == many == bigger_page
    assert many <= 12


def test_a_refused_bid_comes_back_with_the_typed_text_and_the_reason(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader1)
    form = _bid_form(challenge, world.cast.studio1)
    form["milestones_text"] = "设计 | 2000-01-01 | 100 | 文档"  # before the deadline: the service refuses
    response = client.post(reverse("challenges:bid_new", args=[challenge.pk]), form)
    assert response.status_code == 400
    # The service's error names its field: shown beside the milestones, not above the form.
    assert response.context["form"].errors["milestones_text"]
    assert "保证完成" in response.content.decode()
    assert not Bid.objects.exists()
