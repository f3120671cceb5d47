"""The board: visibility, filters, Chinese substring search, sorting, paging, and a query count
that does not grow with the data or the page size."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import Challenge
from challenges.search import challenge_grams
from challenges.selectors import board
from tests.conftest import as_user


def _ids(challenges) -> list[int]:
    return [challenge.pk for challenge in challenges]


def test_drafts_and_invitations_stay_off_the_board_for_others(world):
    public = world.published(title="公开课题")
    invited = world.published(
        title="定向课题", eligibility="invitation", invited_studios=[world.cast.studio2.pk]
    )
    draft = world.draft(title="草稿课题")
    assert _ids(board(world.cast.outsider)) == [public.pk]
    assert set(_ids(board(world.cast.leader2))) == {public.pk, invited.pk}
    assert set(_ids(board(world.cast.poster))) == {public.pk, invited.pk, draft.pk}
    assert set(_ids(board(world.cast.superadmin))) == {public.pk, invited.pk, draft.pk}


def test_filters_search_and_sorts(world):
    soon = world.published(
        title="焊接机器人路径优化",
        fields=["焊接"],
        reward_amount=Decimal("50000"),
        bidding_deadline=timezone.now() + datetime.timedelta(days=3),
    )
    later = world.published(
        title="客服质检",
        statement="用语音识别提升质检效率",
        fields=["人工智能"],
        reward_amount=Decimal("300000"),
        bidding_deadline=timezone.now() + datetime.timedelta(days=20),
    )
    user = world.cast.outsider
    assert _ids(board(user, query="路径")) == [soon.pk]
    assert _ids(board(user, query="语音识别")) == [later.pk]
    # Through the gram index: each term anywhere in title or statement, in any order.
    assert _ids(board(user, query="质检 语音")) == [later.pk]
    assert _ids(board(user, query="机器人优化")) == [soon.pk]  # an unspaced phrase, by its pieces
    assert _ids(board(user, query="路径 语音")) == []  # every term must match
    assert _ids(board(user, field="焊接")) == [soon.pk]
    assert _ids(board(user, field="焊")) == []  # a field matches whole, not by substring
    assert _ids(board(user, reward_min=Decimal("100000"))) == [later.pk]
    assert _ids(board(user, reward_max=Decimal("100000"))) == [soon.pk]
    assert _ids(board(user, deadline_before=timezone.now() + datetime.timedelta(days=5))) == [soon.pk]
    assert _ids(board(user, unit_id=world.cast.unit_a.pk, sort="deadline")) == [soon.pk, later.pk]
    assert _ids(board(user, sort="reward")) == [later.pk, soon.pk]
    assert _ids(board(user, sort="newest")) == [later.pk, soon.pk]


def test_the_api_board_is_public_and_paginated(world, api):
    for index in range(3):
        world.published(title=f"课题{index}")
    response = api.get("/api/v1/challenges/", {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert (
        as_user(api, world.cast.outsider).get("/api/v1/challenges/", {"reward_min": "abc"}).status_code == 400
    )


def _bulk_challenges(world, count: int) -> None:
    template = world.published()
    now = timezone.now()
    Challenge.objects.bulk_create(
        Challenge(
            title=f"课题 {index} 节能",
            statement="冬季基站能耗高",
            fields=["节能"],
            fields_key="|节能|",
            search_grams=challenge_grams(f"课题 {index} 节能", "冬季基站能耗高"),
            unit=template.unit,
            poster=template.poster,
            reward_amount=Decimal(index),
            bidding_deadline=now + datetime.timedelta(days=1 + index % 30),
            expected_delivery=(now + datetime.timedelta(days=90)).date(),
            contact_name="联系人",
            state="published",
            published_at=now,
        )
        for index in range(count)
    )


def _queries_for_first_page(user, page_size: int, **filters) -> int:
    from django.core.paginator import Paginator

    with CaptureQueriesContext(connection) as captured:
        page = Paginator(board(user, **filters), page_size).page(1)
        rows = [(c.title, c.unit.name, c.effective_state, c.public_bid_count) for c in page]
    assert len(rows) == page_size
    return len(captured)


def test_the_first_page_costs_the_same_queries_with_10000_challenges_and_any_page_size(world):
    user = world.cast.leader1
    _bulk_challenges(world, 20)
    small = {size: _queries_for_first_page(user, size) for size in (5, 20)}
    _bulk_challenges(world, 10_000)
    large = {size: _queries_for_first_page(user, size) for size in (5, 20, 100)}
    assert set(small.values()) == set(large.values())
    assert len(set(large.values())) == 1
    assert large[20] <= 3, large  # the admin-grant lookup, the count, the page
    assert _queries_for_first_page(user, 20, query="节能", sort="reward") == large[20]
