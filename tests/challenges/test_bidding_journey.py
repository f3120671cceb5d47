"""The bidding journey's steps that broke: editing a draft in Chinese kept no dates, reward stages
were unlabelled and unchecked, the bid form was served after the deadline, and the late-bid
message gave the deadline in UTC."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from challenges import permissions
from challenges.lifecycle import State
from challenges.models import Bid, Challenge
from challenges.selectors import effective_state_by_pk
from challenges.services import bids as bid_services
from tests.challenges.conftest import bid_content, pass_deadline

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def _value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def _in_chinese(client) -> None:
    # Pages speak Chinese unless the language cookie says otherwise; say it explicitly.
    client.cookies["django_language"] = "zh-hans"


# The edit form's dates.


def test_editing_a_draft_in_chinese_shows_both_dates_as_the_date_inputs_accept_them(client, world):
    deadline = datetime.datetime(2031, 1, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai
    draft = world.draft(bidding_deadline=deadline, expected_delivery=datetime.date(2031, 5, 1))
    _in_chinese(client)
    client.force_login(world.cast.poster)
    response = client.get(reverse("challenges:edit", args=[draft.pk]))
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"
    html = response.content.decode()
    assert 'type="datetime-local"' in html and _value(html, "bidding_deadline") == "2031-01-01T10:00"
    assert 'type="date"' in html and _value(html, "expected_delivery") == "2031-05-01"


def test_a_draft_saved_with_the_dates_as_shown_keeps_them(client, world):
    deadline = datetime.datetime(2031, 1, 1, 2, 0, tzinfo=datetime.UTC)
    draft = world.draft(bidding_deadline=deadline, expected_delivery=datetime.date(2031, 5, 1))
    _in_chinese(client)
    client.force_login(world.cast.poster)
    html = client.get(reverse("challenges:edit", args=[draft.pk])).content.decode()
    form = {
        "unit": world.cast.unit_a.pk,
        "title": "改过的标题",
        "statement": draft.statement,
        "reward_amount": "200000",
        "reward_form": "money",
        "bidding_deadline": _value(html, "bidding_deadline"),
        "expected_delivery": _value(html, "expected_delivery"),
        "eligibility": "open",
        "ip_ownership": "poster",
        "contact_name": "周",
        "award_mode": "single",
        "max_winners": "1",
        "criteria_text": "技术 | 60\n团队 | 40",
    }
    assert client.post(reverse("challenges:edit", args=[draft.pk]), form).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的标题"
    assert draft.bidding_deadline == deadline and draft.expected_delivery == datetime.date(2031, 5, 1)


# Reward stages: labelled in yuan, at most the reward.


def _bid_form(challenge: Challenge, studio, milestones_text: str) -> dict:
    return {
        "bidder": f"studio:{studio.pk}",
        "approach": "方案",
        "budget": "1000",
        "milestones_text": milestones_text,
        "commitment_text": "保证完成",
        "signer_name": "王建国",
        "signed": "on",
    }


def test_the_bid_form_labels_the_reward_share_in_yuan_and_names_the_reward(client, world):
    challenge = world.published(reward_amount=Decimal("300000"))
    client.force_login(world.cast.leader1)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = client.get(reverse("challenges:bid_new", args=[challenge.pk])).content.decode()
    assert "reward share in yuan (元)" in html
    assert "at most the reward, ¥300,000" in html


def test_reward_shares_beyond_the_reward_are_refused_beside_the_field_with_what_was_typed(client, world):
    challenge = world.published(reward_amount=Decimal("200000"))
    due = (challenge.bidding_deadline + datetime.timedelta(days=30)).date().isoformat()
    typed = f"设计 | {due} | 160000 | 文档\n试点 | {due} | 200000 | 报告"
    client.force_login(world.cast.leader1)
    response = client.post(
        reverse("challenges:bid_new", args=[challenge.pk]), _bid_form(challenge, world.cast.studio1, typed)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["milestones_text"]
    # Grouped or not, as the language groups numbers (Chinese does not).
    assert re.search(r"360,?000.*200,?000", form.errors["milestones_text"][0])
    assert typed in response.content.decode()
    assert not Bid.objects.exists()


def test_reward_shares_adding_up_to_the_reward_are_accepted_and_one_yuan_more_is_not(world):
    challenge = world.published(reward_amount=Decimal("200000"))
    due = (challenge.bidding_deadline + datetime.timedelta(days=30)).date()

    def plan(*shares):
        return [
            {"title": f"阶段{i}", "due_date": due, "reward_share": share} for i, share in enumerate(shares)
        ]

    with pytest.raises(ValidationError) as refused:
        world.bid(challenge, "leader1", milestones=plan(Decimal("150000"), Decimal("50001")))
    assert list(refused.value.message_dict) == ["milestones"]
    bid = world.bid(challenge, "leader1", milestones=plan(Decimal("150000"), Decimal("50000")))
    assert sum(step.reward_share for step in bid.plan_steps.all()) == Decimal("200000")
    with pytest.raises(ValidationError):
        bid_services.bid_update(
            actor=world.cast.leader1, bid=bid, milestones=plan(Decimal("200000"), Decimal("0.01"))
        )


# The deadline: the bid form is refused after it, with the deadline in the platform's time zone.


def test_the_bid_form_is_refused_after_the_deadline_get_and_post_with_a_clear_message(client, world):
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    pass_deadline(challenge)  # no job has run: the stored state is still published
    client.cookies["django_language"] = "en"
    client.force_login(world.cast.leader2)
    url = reverse("challenges:bid_new", args=[challenge.pk])
    for response in (
        client.get(url),
        client.post(url, _bid_form(challenge, world.cast.studio2, "设计 | 2031-01-01 | 1 | 文档")),
    ):
        assert response.status_code == 302 and response.url == reverse(
            "challenges:detail", args=[challenge.pk]
        )
        assert any("Bidding closed" in str(m) for m in get_messages(response.wsgi_request))
    assert list(Bid.objects.values_list("pk", flat=True)) == [bid.pk]
    client.force_login(world.cast.leader1)
    edit = reverse("challenges:bid_edit", args=[bid.pk])
    assert client.get(edit).status_code == 302
    assert (
        client.post(edit, _bid_form(challenge, world.cast.studio1, "改 | 2031-01-01 | 1 | 文档")).status_code
        == 302
    )
    assert Bid.objects.get(pk=bid.pk).approach == bid.approach
    my_bids = client.get(reverse("challenges:my_bids"))
    assert my_bids.context["changeable"] == set()
    assert edit not in my_bids.content.decode()


def test_before_the_deadline_the_form_is_served_and_my_bids_offers_the_edit(client, world):
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    client.force_login(world.cast.leader1)
    assert client.get(reverse("challenges:bid_new", args=[challenge.pk])).status_code == 200
    assert client.get(reverse("challenges:bid_edit", args=[bid.pk])).status_code == 200
    assert client.get(reverse("challenges:my_bids")).context["changeable"] == {bid.pk}


def test_the_challenge_page_marks_what_goes_at_the_deadline(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader1)
    html = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert f'data-closes-at="{timezone.localtime(challenge.bidding_deadline).isoformat()}"' in html
    assert re.search(r"<div data-while-bidding>\s*<h3 id=\"bid\">", html)
    pass_deadline(challenge)
    html = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert "data-closes-at" not in html and "data-while-bidding" not in html


def test_the_late_bid_message_gives_the_deadline_in_the_platforms_time_zone(world, settings):
    challenge = world.published()
    pass_deadline(challenge)
    deadline = Challenge.objects.get(pk=challenge.pk).bidding_deadline
    local = deadline.astimezone(SHANGHAI)
    assert local.hour != deadline.astimezone(datetime.UTC).hour
    with translation.override("en"):
        message = permissions.bidding_refusal(challenge, effective_state_by_pk(challenge.pk))
        with pytest.raises(ValidationError) as refused:
            world.bid(challenge, "leader2", **bid_content(challenge))
    assert refused.value.messages == [message]
    # English DATETIME_FORMAT: "N j, Y, P" (e.g. "Jan. 1, 2031, 10 a.m."): the hour is Shanghai's.
    hour = local.strftime("%I").lstrip("0")
    assert re.search(rf"\b{hour}(:{local:%M})? [ap]\.m\.", message), message
    assert effective_state_by_pk(challenge.pk) == State.BIDDING_CLOSED


def test_my_bids_shows_each_reward_stage_as_yuan_in_one_query_for_all_stages(
    client, world, django_assert_max_num_queries
):
    challenge = world.published(reward_amount=Decimal("300000"))
    world.bid(challenge, "leader1")  # two stages: ¥50,000 and ¥100,000 (conftest.bid_content)
    client.cookies["django_language"] = "en"
    client.force_login(world.cast.leader1)
    html = client.get(reverse("challenges:my_bids")).content.decode()
    assert "reward share ¥50,000.00 (yuan)" in html and "reward share ¥100,000.00 (yuan)" in html
    other = world.published(reward_amount=Decimal("300000"))
    world.bid(other, "leader1")
    with django_assert_max_num_queries(12) as counted:
        client.get(reverse("challenges:my_bids"))
    assert not [q for q in counted.captured_queries if "challenges_bidmilestone" in q["sql"]][1:]
