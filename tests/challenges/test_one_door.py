"""Each kind read through one selector, both doors: for every role of the cast (and the anonymous
visitor), the page shows a field exactly when the API returns it (issue 12, "each rule once").

The texts compared are unique markers, so "present in the HTML" can only mean the field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from challenges import selectors
from challenges.lifecycle import State
from challenges.models import Milestone, Problem
from challenges.services import milestones as milestone_services
from challenges.services import problems as problem_services
from challenges.services import reviews
from tests.cast import ROLES

VIEWERS = (None, *ROLES)


def doors(world, role: str | None) -> tuple[Client, APIClient]:
    page, api = Client(), APIClient()
    if role is not None:
        user = getattr(world.cast, role, None) or getattr(world, role)
        page.force_login(user)
        api.force_authenticate(user)
    return page, api


def _html(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


# Challenges -------------------------------------------------------------------------------------


def test_the_award_rationale_is_hidden_from_anonymous_visitors_and_unrelated_members_on_the_page(world):
    challenge = world.in_state(State.AWARDED)
    url = reverse("challenges:detail", args=[challenge.pk])
    for role in (None, "outsider", "member"):
        # `member` belongs to studio1, a bidder: told the outcome, so it may read why.
        page, _api = doors(world, role)
        html = page.get(url).content.decode()
        assert ("方案最优" in html) is (role == "member"), role


@pytest.mark.parametrize("role", VIEWERS)
def test_a_challenge_page_shows_the_award_rationale_exactly_when_the_api_returns_it(world, role):
    challenge = world.in_state(State.UNDER_REVIEW)
    # The cast's expert works in unit B with studio2: recused, a role of its own.
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.cast.expert)
    winner = challenge.bids.get(studio=world.cast.studio2)
    reviews.challenge_award(
        actor=world.cast.poster, challenge=challenge, winners=[winner], rationale="方案最优"
    )
    page, api = doors(world, role)
    html = page.get(reverse("challenges:detail", args=[challenge.pk]))
    data = api.get(f"/api/v1/challenges/{challenge.pk}/")
    assert (html.status_code, data.status_code) in ((200, 200), (404, 404))
    if data.status_code == 200:
        assert ("方案最优" in html.content.decode()) is (data.json()["award_rationale"] == "方案最优")
        shown = html.content.decode()
        count = data.json()["bid_count"]
        assert ("data-bid-count" in shown) is (count is not None)


@pytest.mark.parametrize("role", VIEWERS)
def test_return_comments_are_on_the_page_exactly_when_the_api_returns_them(world, role):
    challenge = world.draft()
    world.act(challenge, world.cast.poster, "submit")
    world.act(challenge, world.cast.admin, "return", text="补充预算明细XYZ")
    page, api = doors(world, role)
    html = page.get(reverse("challenges:detail", args=[challenge.pk]))
    data = api.get(f"/api/v1/challenges/{challenge.pk}/")
    assert (html.status_code, data.status_code) in ((200, 200), (404, 404))
    if data.status_code == 200:
        assert ("补充预算明细XYZ" in html.content.decode()) is (data.json()["return_comments"] != "")


# Milestones -------------------------------------------------------------------------------------


@pytest.fixture
def working(world):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = Milestone.objects.filter(challenge=challenge).order_by("position").first()
    milestone_services.milestone_submit(
        actor=world.cast.leader2, milestone=milestone, evidence_note="交付证据QQ"
    )
    return challenge, milestone


@pytest.mark.parametrize("role", (*VIEWERS, "expert2"))
def test_a_milestone_shows_the_same_fields_on_the_pages_and_in_the_api(world, working, role):
    challenge, milestone = working
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    page, api = doors(world, role)
    detail = page.get(reverse("challenges:detail", args=[challenge.pk]))
    full = page.get(reverse("challenges:milestones", args=[challenge.pk]))
    data = api.get(f"/api/v1/challenges/{challenge.pk}/milestones/")
    assert (detail.status_code == 200) is (data.status_code == 200)
    rows = {row["id"]: row for row in data.json()} if data.status_code == 200 else {}
    row = rows.get(milestone.pk, {})
    shown = _html(detail) + _html(full)
    assert (milestone.title in shown) is (row.get("title") == milestone.title)
    assert ("交付证据QQ" in shown) is (row.get("evidence_note") == "交付证据QQ")
    assert ("设计文档" in shown) is (row.get("deliverable") == "设计文档")


# Problems ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", VIEWERS)
def test_a_problem_is_on_the_page_exactly_when_the_api_lists_it(world, role):
    problem = problem_services.problem_submit(
        actor=world.cast.member, unit=world.cast.unit_a, title="配电柜过热WW", description="夏季配电柜温度高"
    )
    problem_services.problem_reject(actor=world.cast.poster, problem=problem, reason="已有方案RR")
    page, api = doors(world, role)
    html = page.get(reverse("challenges:problems"))
    data = api.get("/api/v1/problems/")
    listed = {row["id"]: row for row in data.json()["results"]} if data.status_code == 200 else {}
    shown = _html(html)
    assert ("配电柜过热WW" in shown) is (problem.pk in listed)
    assert ("已有方案RR" in shown) is (listed.get(problem.pk, {}).get("reject_reason") == "已有方案RR")


@pytest.mark.parametrize("role", VIEWERS)
def test_the_problem_selector_and_the_problem_filter_agree(world, role):
    problem = problem_services.problem_submit(
        actor=world.cast.member, unit=world.cast.unit_a, title="漏电", description="漏电"
    )
    user = getattr(world.cast, role) if role else AnonymousUser()
    listed = selectors.problems_visible_to(user).filter(pk=problem.pk).exists()
    try:
        selectors.problem_for(user, problem.pk)
        found = True
    except Problem.DoesNotExist:
        found = False
    assert listed is found


# Clarifications ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", (*VIEWERS, "expert2"))
def test_a_clarification_is_on_the_pages_exactly_when_the_api_returns_it(world, role):
    challenge = world.in_state(State.UNDER_REVIEW)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    bid = challenge.bids.get(studio=world.cast.studio1)
    clarification = reviews.clarification_ask(actor=world.cast.poster, bid=bid, question="预算依据CQ")
    reviews.clarification_answer(actor=world.cast.leader1, clarification=clarification, answer="按定额CA")
    page, api = doors(world, role)
    shown = _html(page.get(reverse("challenges:review", args=[challenge.pk]))) + _html(
        page.get(reverse("challenges:my_bids"))
    )
    data = api.get(f"/api/v1/bids/{bid.pk}/clarifications/")
    returned = data.json() if data.status_code == 200 else []
    assert ("预算依据CQ" in shown) is any(row["question"] == "预算依据CQ" for row in returned)
    assert ("按定额CA" in shown) is any(row["answer"] == "按定额CA" for row in returned)


# Public questions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", VIEWERS)
def test_a_public_question_and_its_answer_are_on_the_page_exactly_when_the_api_returns_them(world, role):
    from challenges.services import qa

    challenge = world.published(eligibility="invitation", invited_studios=[world.cast.studio2.pk])
    question = qa.question_ask(actor=world.cast.leader2, challenge=challenge, body="工期能否延长QB")
    qa.question_answer(actor=world.cast.poster, question=question, answer="可以延长QA")
    page, api = doors(world, role)
    shown = _html(page.get(reverse("challenges:detail", args=[challenge.pk])))
    data = api.get(f"/api/v1/challenges/{challenge.pk}/questions/")
    returned = data.json() if data.status_code == 200 else []
    assert ("工期能否延长QB" in shown) is any(row["body"] == "工期能否延长QB" for row in returned)
    assert ("可以延长QA" in shown) is any(row["answer"] == "可以延长QA" for row in returned)
    assert ("工期能否延长QB" in shown) is (role in ("superadmin", "admin", "poster", "leader2"))


@pytest.mark.parametrize("role", VIEWERS)
def test_the_question_selector_agrees_with_the_challenge_selector(world, role):
    from challenges.models import Challenge, Question
    from challenges.services import qa

    challenge = world.published(eligibility="invitation", invited_studios=[world.cast.studio2.pk])
    question = qa.question_ask(actor=world.cast.leader2, challenge=challenge, body="问")
    user = getattr(world.cast, role) if role else AnonymousUser()
    try:
        selectors.challenge_for(user, challenge.pk)
        sees_challenge = True
    except Challenge.DoesNotExist:
        sees_challenge = False
    try:
        selectors.question_for(user, question.pk)
        sees_question = True
    except Question.DoesNotExist:
        sees_question = False
    assert sees_question is sees_challenge
