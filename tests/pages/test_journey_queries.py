"""The journeys' pages and API lists cost a fixed number of queries, whatever the page holds.

Each test counts the queries of a page, adds more rows than a page shows (so the page is full and
its rows are new ones: other senders, mentions, attachments, answered questions), and counts again:
the count must not grow. The benchmark that measures their speed is bench/pages.py
(docs/performance.md, "Pages and API"); here only counts are asserted, never time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliances.markdown import render_markdown
from alliances.models import Attachment, Message
from alliances.selectors import unread_total
from alliances.services import rooms
from challenges.models import Challenge, Question
from frontend.context_processors import build_layout_statement, layout_figures, layout_statement
from platform_core.notifications.selectors import unread_count
from platform_core.realtime.selectors import topic_head
from platform_core.request_memo import memoized
from showcase import search, synthetic
from showcase.models import Achievement
from tests.alliances.conftest import make_team
from tests.challenges.conftest import make_world


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: sessions, first-use caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def more_challenges(template: Challenge, count: int) -> None:
    now = timezone.now()
    Challenge.objects.bulk_create(
        Challenge(
            title=f"课题 {index} 节能",
            statement="冬季基站能耗高",
            fields=["节能", "5G"],
            fields_key="|节能|5G|",
            unit=template.unit,
            poster=template.poster,
            reward_amount=Decimal(1000 + index),
            bidding_deadline=now + datetime.timedelta(days=1 + index % 30),
            expected_delivery=(now + datetime.timedelta(days=90)).date(),
            contact_name="联系人",
            state="published",
            published_at=now,
        )
        for index in range(count)
    )


def more_messages(room, senders, count: int) -> None:
    """`count` messages from several senders, one in three mentioning someone, one in five with
    a file, some replying to an earlier one."""
    last = room.messages.order_by("-seq").values_list("seq", flat=True).first() or 0
    created = Message.objects.bulk_create(
        Message(
            room=room,
            seq=last + 1 + index,
            sender=senders[index % len(senders)],
            client_id=f"more-{last + 1 + index}",
            body=f"第{index}条 **巡检** 记录",
            html=render_markdown(f"第{index}条 **巡检** 记录"),
        )
        for index in range(count)
    )
    for index, message in enumerate(created):
        if index % 3 == 0:
            message.mentions.add(senders[(index + 1) % len(senders)])
        if index % 5 == 0:
            Attachment.objects.create(
                room=room, uploader=message.sender, message=message, file="chat/x.pdf", name="a.pdf", size=10
            )
        if index % 7 == 6:
            message.reply_to = created[index - 1]
            message.save(update_fields=["reply_to"])
    room.last_seq = last + count
    room.save(update_fields=["last_seq"])


@pytest.fixture
def journeys(cast):
    world = make_world(cast)
    challenge = world.published()
    team = make_team(cast)
    rooms.message_send(actor=cast.member, room_id=team.room.pk, client_id="first", body="你好")
    synthetic.create(3, studio=cast.studio1, user=cast.leader1)
    # One of them found by the search before the showcase grows (a page of one, then of twenty).
    first = Achievement.objects.order_by("pk").first()
    first.title = "变电站巡检机器人"
    first.search_grams = search.grams(first.title, first.summary, first.description)
    first.save(update_fields=["title", "search_grams"])
    return world, challenge, team


def grown(journeys) -> None:
    world, challenge, team = journeys
    cast = world.cast
    more_challenges(challenge, 45)  # the board shows 20, the API 50 by default
    Question.objects.bulk_create(
        Question(
            challenge=challenge,
            asked_by=user,
            body=f"问题 {index}",
            answer="答复" if index % 2 else "",
            answered_by=cast.poster if index % 2 else None,
            answered_at=timezone.now() if index % 2 else None,
        )
        for index, user in enumerate([cast.member, cast.leader1, cast.leader2, cast.outsider] * 8)
    )
    synthetic.create(60, studio=cast.studio2, user=cast.leader2)
    more_messages(team.room, [cast.member, cast.leader2], 70)  # a history page holds 50


JOURNEY_URLS = {
    "board": "/challenges/",
    "challenge": "/challenges/{challenge}/",
    "showcase": "/showcase/",
    "showcase search": "/showcase/?q=巡检",
    "team room": "/teams/{team}/",
    "room history API": "/api/v1/rooms/{room}/messages/",
    "challenges API": "/api/v1/challenges/",
    "achievements API": "/api/v1/achievements/",
    "achievement search API": "/api/v1/achievements/?q=巡检",
    "rooms API": "/api/v1/rooms/",
}


@pytest.mark.parametrize("page", JOURNEY_URLS)
def test_journey_pages_cost_the_same_queries_with_full_pages(journeys, page):
    world, challenge, team = journeys
    url = JOURNEY_URLS[page].format(challenge=challenge.pk, team=team.team.pk, room=team.room.pk)
    client = client_for(world.cast.member)
    # Before: one message with a mention and a file (a page with some costs their two queries).
    more_messages(team.room, [world.cast.member, world.cast.leader2], 1)
    before = queries(client, url)
    grown(journeys)
    assert queries(client, url) == before, page


def test_a_challenge_page_is_far_under_its_former_31_queries(journeys, django_assert_max_num_queries):
    world, challenge, _team = journeys
    grown(journeys)
    for user in (world.cast.member, world.cast.leader1, world.cast.poster, world.cast.admin):
        client = client_for(user)
        client.get(f"/challenges/{challenge.pk}/")
        with django_assert_max_num_queries(20):
            assert client.get(f"/challenges/{challenge.pk}/").status_code == 200


def test_the_history_api_reads_mentions_and_attachments_only_for_a_page_that_has_some(journeys):
    world, _challenge, team = journeys
    client = client_for(world.cast.member)
    url = f"/api/v1/rooms/{team.room.pk}/messages/"
    plain = queries(client, url)
    more_messages(team.room, [world.cast.member, world.cast.leader2], 70)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).json()
    assert len(captured) == plain + 2  # one query for the page's mentions, one for its files
    by_seq = {message["seq"]: message for message in body["messages"]}
    newest = team.room.messages.order_by("-seq").first()
    assert len(by_seq) == 50 and newest.seq in by_seq
    for message in Message.objects.filter(room=team.room, seq__in=by_seq).prefetch_related(
        "mentions", "attachments"
    ):
        shown = by_seq[message.seq]
        assert shown["mentions"] == [user.pk for user in message.mentions.all()]
        assert [a["id"] for a in shown["attachments"]] == [a.pk for a in message.attachments.all()]
    assert any(shown["mentions"] for shown in by_seq.values())
    assert any(shown["attachments"] for shown in by_seq.values())


@pytest.mark.parametrize("role", ["member", "leader2", "outsider", "poster"])
def test_the_layout_figures_are_the_three_selectors_in_one_query(journeys, role):
    world, _challenge, team = journeys
    more_messages(team.room, [world.cast.member, world.cast.leader2], 5)
    user = getattr(world.cast, role)
    topic = f"user:{user.pk}"
    expected = (unread_count(user), unread_total(user), topic_head(topic))
    with CaptureQueriesContext(connection) as captured:
        assert layout_figures(user, topic) == expected
    assert len(captured) == 1
    # The statement built once for a stand-in is the one built for this user.
    assert layout_statement(user, topic) == build_layout_statement(user, topic)
    if role in ("member", "leader2"):
        assert expected[1] > 0


def test_the_request_memo_holds_only_within_a_read_only_request(cast, rf):
    from platform_core.request_memo import RequestMemoMiddleware

    calls: list[int] = []

    def view(request):
        return [memoized("key", lambda: calls.append(1) or len(calls)) for _ in range(3)]

    assert RequestMemoMiddleware(view)(rf.get("/")) == [1, 1, 1]
    assert RequestMemoMiddleware(view)(rf.get("/")) == [2, 2, 2]  # a new request asks again
    assert RequestMemoMiddleware(view)(rf.post("/")) == [3, 4, 5]  # a write never reads a memo
    assert memoized("key", lambda: 9) == 9  # outside a request: computed every time


def test_a_page_topic_head_is_read_in_the_layout_query(journeys):
    world, challenge, team = journeys
    client = client_for(world.cast.member)
    for url, topic in (
        ("/challenges/", "board:all"),
        (f"/challenges/{challenge.pk}/", challenge.topic),
        (f"/teams/{team.team.pk}/", team.room.topic),
    ):
        head = topic_head(topic)
        assert head > 0, topic
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert f'data-live-topic="{topic}" data-live-since="{head}"' in html, url
        assert not [q for q in captured.captured_queries if "realtime_topic" in q["sql"]][1:], url
