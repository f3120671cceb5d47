"""Notifications: the services, the selectors and the REST API under /api/v1/notifications/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from platform_core.notifications import selectors, services
from platform_core.notifications.models import Notification
from tests.conftest import as_user
from tests.events import published, stored_events, user_topic

LIST_URL = "/api/v1/notifications/"
READ_ALL_URL = "/api/v1/notifications/read-all/"


def read_url(notification: Notification) -> str:
    return f"/api/v1/notifications/{notification.pk}/read/"


def notify(user, title: str = "通知", **extra) -> Notification:
    body = extra.pop("body", None)
    return services.notification_create(
        recipient=user,
        kind="test",
        title=services.verbatim(title),
        body=services.verbatim(body) if body is not None else None,
        **extra,
    )


# --- services -----------------------------------------------------------------------------------


def test_create_stores_the_notification_and_emits_it_with_the_unread_count(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.notification_create(
            recipient=cast.member,
            kind="studio.member_added",
            title=services.verbatim("欢迎"),
            body=services.verbatim("正文"),
            url="/studios/",
        )
        second = notify(cast.member, "第二条")
    assert (first.kind, first.title, first.body, first.url, first.read_at) == (
        "studio.member_added",
        "欢迎",
        "正文",
        "/studios/",
        None,
    )
    events = stored_events(user_topic(cast.member))
    assert [(seq, name) for seq, name, _d in events] == [
        (1, "notification.created"),
        (2, "notification.created"),
    ]
    assert events[0][2]["notification"] == {
        "id": first.pk,
        "kind": "studio.member_added",
        "title": "欢迎",
        "body": "正文",
        "url": "/studios/",
        "read": False,
        "created_at": first.created_at.isoformat(),
        "texts": {"zh-hans": {"title": "欢迎", "body": "正文"}, "en": {"title": "欢迎", "body": "正文"}},
    }
    assert events[0][2]["unread"] == 1
    assert events[1][2]["notification"]["id"] == second.pk
    assert events[1][2]["unread"] == 2
    assert published(callbacks) == [
        ("event", user_topic(cast.member), 1, "notification.created"),
        ("event", user_topic(cast.member), 2, "notification.created"),
    ]


def test_create_emits_only_on_the_recipients_topic(cast):
    notify(cast.member)
    assert stored_events(user_topic(cast.expert)) == []
    assert len(stored_events(user_topic(cast.member))) == 1


def test_create_cuts_overlong_title_and_link(cast):
    notification = notify(cast.member, "题" * 300, url="/" + "x" * 400)
    notification.refresh_from_db()
    assert len(notification.title) == 200
    assert len(notification.url) == 300


def test_mark_read_is_idempotent_and_emits_once(cast, django_capture_on_commit_callbacks):
    notification = notify(cast.member)
    notify(cast.member, "另一条")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        marked = services.notification_mark_read(user=cast.member, notification_id=notification.pk)
        first_read_at = marked.read_at
        again = services.notification_mark_read(user=cast.member, notification_id=notification.pk)
    assert first_read_at is not None
    assert again.read_at == first_read_at
    notification.refresh_from_db()
    assert notification.is_read
    read_events = [e for e in stored_events(user_topic(cast.member)) if e[1] == "notification.read"]
    assert read_events == [(3, "notification.read", {"ids": [notification.pk], "unread": 1})]
    assert published(callbacks) == [("event", user_topic(cast.member), 3, "notification.read")]


def test_a_user_cannot_mark_another_users_notification(cast, django_capture_on_commit_callbacks):
    notification = notify(cast.member)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Http404),
    ):
        services.notification_mark_read(user=cast.outsider, notification_id=notification.pk)
    notification.refresh_from_db()
    assert not notification.is_read
    assert callbacks == []
    assert stored_events(user_topic(cast.outsider)) == []


def test_marking_an_unknown_notification_is_not_found(cast):
    with pytest.raises(Http404):
        services.notification_mark_read(user=cast.member, notification_id=987654)


def test_mark_all_read_marks_only_the_users_own_and_emits_once(cast, django_capture_on_commit_callbacks):
    mine = [notify(cast.member, f"第{n}条") for n in range(3)]
    services.notification_mark_read(user=cast.member, notification_id=mine[0].pk)
    theirs = notify(cast.leader1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        marked = services.notification_mark_all_read(user=cast.member)
    assert marked == 2
    assert selectors.unread_count(cast.member) == 0
    theirs.refresh_from_db()
    assert not theirs.is_read
    last = stored_events(user_topic(cast.member))[-1]
    assert last[0] == 5
    assert last[1] == "notification.read"
    assert sorted(last[2]["ids"]) == sorted([mine[1].pk, mine[2].pk])
    assert last[2]["unread"] == 0
    assert last[2]["all"] is True
    assert published(callbacks) == [("event", user_topic(cast.member), 5, "notification.read")]


def test_mark_all_read_with_nothing_unread_does_nothing(cast, django_capture_on_commit_callbacks):
    services.notification_mark_read(user=cast.member, notification_id=notify(cast.member).pk)
    before = stored_events(user_topic(cast.member))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.notification_mark_all_read(user=cast.member) == 0
    assert callbacks == []
    assert stored_events(user_topic(cast.member)) == before


def test_mark_all_read_keeps_earlier_read_times(cast):
    early = notify(cast.member)
    early_read_at = services.notification_mark_read(user=cast.member, notification_id=early.pk).read_at
    notify(cast.member)
    services.notification_mark_all_read(user=cast.member)
    early.refresh_from_db()
    assert early.read_at == early_read_at


# --- selectors ----------------------------------------------------------------------------------


def test_notifications_for_lists_the_users_own_newest_first(cast):
    first = notify(cast.member, "一")
    second = notify(cast.member, "二")
    notify(cast.leader1, "别人的")
    assert list(selectors.notifications_for(cast.member)) == [second, first]


def test_unread_count_counts_only_unread_and_is_zero_for_visitors(cast):
    notify(cast.member)
    read = notify(cast.member)
    services.notification_mark_read(user=cast.member, notification_id=read.pk)
    notify(cast.leader1)
    assert selectors.unread_count(cast.member) == 1
    assert selectors.unread_count(AnonymousUser()) == 0


# --- REST API -----------------------------------------------------------------------------------


def test_api_lists_only_the_users_own_notifications(cast, api):
    mine = notify(cast.member, "我的")
    notify(cast.leader1, "别人的")
    response = as_user(api, cast.member).get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == mine.pk
    assert item["title"] == "我的"
    assert item["read"] is False
    assert item["read_at"] is None
    assert set(item) == {"id", "kind", "title", "body", "url", "read", "read_at", "created_at"}


@pytest.mark.parametrize("flag", ["1", "true"])
def test_api_unread_filter_leaves_out_read_ones(cast, api, flag):
    unread = notify(cast.member, "未读")
    read = notify(cast.member, "已读")
    services.notification_mark_read(user=cast.member, notification_id=read.pk)
    response = as_user(api, cast.member).get(LIST_URL, {"unread": flag})
    assert [item["id"] for item in response.json()["results"]] == [unread.pk]
    everything = api.get(LIST_URL, {"unread": "0"})
    assert {item["id"] for item in everything.json()["results"]} == {unread.pk, read.pk}


def test_api_marks_one_read(cast, api):
    notification = notify(cast.member)
    response = as_user(api, cast.member).post(read_url(notification))
    assert response.status_code == 200
    assert response.json()["id"] == notification.pk
    assert response.json()["read"] is True
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.is_read
    again = api.post(read_url(notification))
    assert again.status_code == 200
    assert [name for _s, name, _d in stored_events(user_topic(cast.member))].count("notification.read") == 1


def test_api_another_users_notification_is_not_found(cast, api):
    notification = notify(cast.member)
    response = as_user(api, cast.outsider).post(read_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_api_unknown_notification_is_not_found(cast, api):
    response = as_user(api, cast.member).post("/api/v1/notifications/99999/read/")
    assert response.status_code == 404


def test_api_marks_all_read(cast, api):
    for n in range(3):
        notify(cast.member, f"第{n}条")
    other = notify(cast.leader1)
    response = as_user(api, cast.member).post(READ_ALL_URL)
    assert response.status_code == 200
    assert response.json() == {"marked": 3, "unread": 0}
    assert selectors.unread_count(cast.member) == 0
    other.refresh_from_db()
    assert not other.is_read
    assert api.post(READ_ALL_URL).json() == {"marked": 0, "unread": 0}


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST_URL), ("post", READ_ALL_URL), ("post", "/api/v1/notifications/1/read/")],
)
def test_anonymous_requests_are_refused(cast, api, method, url):
    notify(cast.member)
    response = getattr(api, method)(url)
    assert response.status_code in {401, 403}
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_reading_endpoints_refuse_get(cast, api):
    notification = notify(cast.member)
    as_user(api, cast.member)
    assert api.get(read_url(notification)).status_code == 405
    assert api.get(READ_ALL_URL).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_token_authentication_works(cast, api):
    notify(cast.member, "令牌")
    token = Token.objects.create(user=cast.member)
    response = api.get(LIST_URL, headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == ["令牌"]
    # A token client needs no CSRF token to write.
    strict = APIClient(enforce_csrf_checks=True)
    response = strict.post(READ_ALL_URL, headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert response.json()["marked"] == 1


def test_a_wrong_token_is_refused(cast, api):
    notify(cast.member)
    Token.objects.create(user=cast.member)
    response = api.get(LIST_URL, headers={"Authorization": "Token not-a-real-key"})
    # Session authentication comes first and has no WWW-Authenticate challenge, so DRF says 403.
    assert response.status_code in {401, 403}
    assert "results" not in response.json()


def test_session_writes_need_the_csrf_token(cast):
    notify(cast.member)
    strict = APIClient(enforce_csrf_checks=True)
    strict.force_login(cast.member)
    assert strict.get(LIST_URL).status_code == 200
    assert strict.post(READ_ALL_URL).status_code == 403
    assert selectors.unread_count(cast.member) == 1
