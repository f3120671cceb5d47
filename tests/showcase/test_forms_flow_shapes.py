"""The shapes of refused forms that the page walker (test_forms_keep_input.py) does not reach: a
service error under the service's name shown beside the form's field of another name; several
forms of one class on one page, the error beside the one that was sent only; a round's score rows,
which all post to one URL."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, Question
from challenges.services import qa
from frontend.views.forms_flow import add_service_errors
from showcase.models import RoundScore
from showcase.services import rounds
from tests.challenges.conftest import make_world
from tests.showcase.test_forms_keep_input import assert_error_beside, field_block

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the rename map -------------------------------------------------------------------------------


class _Renamed(forms.Form):
    criteria_text = forms.CharField()
    title = forms.CharField()
    service_fields_shown_as = {"criteria": "criteria_text"}


def test_a_service_field_is_shown_beside_the_form_field_the_map_names():
    form = _Renamed({"criteria_text": "甲 | 50", "title": "标题"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"criteria": "权重之和须为 100", "title": "标题重复", "deadline": "已截止"}),
    )
    assert form.errors["criteria_text"] == ["权重之和须为 100"]  # renamed by the map
    assert form.errors["title"] == ["标题重复"]  # the same name on both sides
    assert form.non_field_errors() == ["已截止"]  # no such field on the form: above it


def test_a_form_without_a_map_keeps_the_service_names():
    class Plain(forms.Form):
        title = forms.CharField()

    form = Plain({"title": "标题"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"criteria": "权重", "title": "重复"}))
    assert form.errors["title"] == ["重复"] and form.non_field_errors() == ["权重"]


def test_the_draft_form_shows_the_services_criteria_error_beside_criteria_text(cast):
    """The form lets two criteria of one name through (the weights add up); the service refuses
    them under `criteria`, which the form calls `criteria_text`."""
    deadline = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = login(cast.poster).post(
        reverse("challenges:new"),
        {
            "unit": cast.unit_a.pk,
            "title": "留住的课题",
            "statement": "说明",
            "reward_amount": "1000",
            "reward_form": "money",
            "bidding_deadline": deadline,
            "expected_delivery": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
            "eligibility": "open",
            "ip_ownership": "poster",
            "contact_name": "周",
            "award_mode": "single",
            "max_winners": "1",
            "criteria_text": "技术 | 50\n技术 | 50",
        },
    )
    html = response.content.decode()
    assert_error_beside(html, "criteria_text")
    assert 'value="留住的课题"' in html
    assert not Challenge.objects.filter(title="留住的课题").exists()


# --- several forms of one class on one page -------------------------------------------------------


def _answer_blocks(html: str) -> dict[int, str]:
    """Each unanswered question's answer form on the challenge page, by question id."""
    return {
        int(pk): form
        for pk, form in re.findall(
            r'<li data-question="(\d+)">.*?(<form class="inline-form".*?</form>)', html, flags=re.S
        )
    }


def test_a_refused_answer_comes_back_under_its_own_question_only(cast):
    world = make_world(cast)
    challenge = world.published()
    first, second, third = (
        qa.question_ask(actor=cast.outsider, challenge=challenge, body=body)
        for body in ("能否远程验收？", "预算含税吗？", "可否分期交付？")
    )
    response = login(cast.poster).post(
        reverse("challenges:answer", args=[challenge.pk, second.pk]), {"answer": "含" * 4001}
    )
    assert response.status_code == 400
    blocks = _answer_blocks(response.content.decode())
    assert set(blocks) == {first.pk, second.pk, third.pk}
    assert "has-error" in blocks[second.pk] and "含" * 4001 in blocks[second.pk]
    for other in (first, third):
        assert "has-error" not in blocks[other.pk] and 'class="error"' not in blocks[other.pk]
        assert "含" not in blocks[other.pk]
    # Each form keeps its own ids (one label per textarea).
    ids = [re.search(r'<textarea[^>]* id="([^"]+)"', block).group(1) for block in blocks.values()]
    assert len(set(ids)) == 3
    assert not Question.objects.exclude(answer="").exists()


def test_a_refused_lifecycle_reason_opens_its_own_section(cast):
    challenge = make_world(cast).draft()
    response = login(cast.poster).post(
        reverse("challenges:transition", args=[challenge.pk]), {"action": "withdraw", "text": "撤" * 4001}
    )
    assert response.status_code == 400
    html = response.content.decode()
    opened = re.findall(r"<details class=\"action-details\" open>.*?</details>", html, flags=re.S)
    assert len(opened) == 1 and 'value="withdraw"' in opened[0] and "撤" * 4001 in opened[0]
    assert 'class="error"' in opened[0]
    challenge.refresh_from_db()
    assert challenge.state == Challenge.State.DRAFT


# --- a round's score rows: one URL, one row per entry ---------------------------------------------


def test_refused_marks_come_back_in_their_own_row(cast):
    from platform_core.accounts.models import ExpertProfile
    from tests.events import make_user
    from tests.showcase.conftest import make_achievement

    outside = make_user("expert_c", unit=cast.unit_c)  # from no entry's unit: recused from none
    ExpertProfile.objects.create(user=outside, committee=ExpertProfile.Committee.TECHNICAL)
    today = datetime.date.today()
    round = rounds.round_open(
        actor=cast.admin,
        kind="selection",
        title="年度评选",
        starts_on=today,
        ends_on=today,
        criteria=[("创新性", 60), ("效益", 40)],
        experts=[outside],
    )
    _first, second = (
        rounds.round_entry_add(actor=cast.admin, round=round, achievement=make_achievement(cast, title=title))
        for title in ("成果一", "成果二")
    )
    innovation, benefit = round.criteria.order_by("pk")
    response = login(outside).post(
        reverse("showcase:round_action", args=[round.pk, "score"]),
        {
            "entry": second.pk,
            f"score-{innovation.pk}": "87.5",
            f"score-{benefit.pk}": "很好",  # not a number
            "comment": "留住的评语",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    rows = re.findall(r'<div class="score-entry">.*?</form>', html, flags=re.S)
    assert len(rows) == 2
    refused, other = (rows[1], rows[0]) if f'value="{second.pk}"' in rows[1] else (rows[0], rows[1])
    assert f'value="{second.pk}"' in refused
    assert 'value="87.5"' in field_block(refused, f"score-{innovation.pk}")
    assert "has-error" in field_block(refused, f"score-{benefit.pk}")
    assert 'value="留住的评语"' in refused
    assert "has-error" not in other and "87.5" not in other and "留住的评语" not in other
    assert not RoundScore.objects.exists()


def test_a_mark_the_service_refuses_comes_back_as_typed(cast):
    """Out of range: the service's rule (0 to 100), its error on the row, the marks kept."""
    from platform_core.accounts.models import ExpertProfile
    from tests.events import make_user
    from tests.showcase.conftest import make_achievement

    outside = make_user("expert_c", unit=cast.unit_c)
    ExpertProfile.objects.create(user=outside, committee=ExpertProfile.Committee.TECHNICAL)
    today = datetime.date.today()
    round = rounds.round_open(
        actor=cast.admin,
        kind="selection",
        title="年度评选",
        starts_on=today,
        ends_on=today,
        criteria=[("创新性", 100)],
        experts=[outside],
    )
    entry = rounds.round_entry_add(actor=cast.admin, round=round, achievement=make_achievement(cast))
    (criterion,) = round.criteria.all()
    response = login(outside).post(
        reverse("showcase:round_action", args=[round.pk, "score"]),
        {"entry": entry.pk, f"score-{criterion.pk}": "150", "comment": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="150"' in field_block(html, f"score-{criterion.pk}")
    assert "message-error" in html
    assert not RoundScore.objects.exists()
