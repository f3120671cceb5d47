"""/api/v1/exchange/: the same rules as the pages (the full role table is the URL × role matrix)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.exchange.models import Post, Status
from tests.conftest import as_user
from tests.exchange.world import HELD_WORD, png

pytestmark = pytest.mark.django_db


def test_the_public_list_and_a_post_for_anonymous_visitors(api, world):
    listed = api.get(reverse("api-exchange-posts")).json()
    assert [row["id"] for row in listed["results"]] == [world.post.pk]
    detail = api.get(reverse("api-exchange-post", args=[world.post.pk])).json()
    assert detail["title"] == world.post.title and detail["access"]["can_comment"] is False
    assert api.get(reverse("api-exchange-post", args=[world.held.pk])).status_code == 404
    assert api.get(reverse("api-exchange-comments", args=[world.post.pk])).status_code == 403


def test_search_and_field_filter(api, world):
    rows = api.get(reverse("api-exchange-posts"), {"q": "巡检"}).json()["results"]
    assert [row["id"] for row in rows] == [world.post.pk]
    assert api.get(reverse("api-exchange-posts"), {"field": "x"}).status_code == 400
    rows = api.get(reverse("api-exchange-posts"), {"field": world.field.pk}).json()["results"]
    assert [row["id"] for row in rows] == [world.post.pk]


def test_writing_commenting_liking_and_reporting(api, cast, world):
    as_user(api, cast.leader1)
    created = api.post(
        reverse("api-exchange-posts"),
        {"title": "接口帖子", "body": f"{HELD_WORD}", "field_ids": [world.field.pk]},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == Status.PENDING
    comment = api.post(reverse("api-exchange-comments", args=[world.post.pk]), {"body": "好"}, format="json")
    assert comment.status_code == 201
    threads = api.get(reverse("api-exchange-comments", args=[world.post.pk])).json()
    assert [thread["comment"]["body"] for thread in threads] == ["很实用", "好"]
    liked = api.post(reverse("api-exchange-like", args=[world.post.pk]), {}, format="json").json()
    assert liked["like_count"] == 1 and liked["access"]["liked"] is True
    unliked = api.post(
        reverse("api-exchange-like", args=[world.post.pk]), {"on": False}, format="json"
    ).json()
    assert unliked["like_count"] == 0
    api.post(reverse("api-exchange-favourite", args=[world.post.pk]), {}, format="json")
    assert [row["id"] for row in api.get(reverse("api-exchange-favourites")).json()["results"]] == [
        world.post.pk
    ]
    report = api.post(reverse("api-exchange-report", args=[world.post.pk]), {"reason": "广告"}, format="json")
    assert report.status_code == 201
    assert (
        api.post(reverse("api-exchange-report", args=[world.post.pk]), {}, format="json").status_code == 400
    )


def test_only_the_author_edits_and_deletes(api, cast, world):
    url = reverse("api-exchange-post", args=[world.post.pk])
    as_user(api, cast.leader1)
    assert api.put(url, {"title": "t", "body": "b"}, format="json").status_code == 403
    as_user(api, cast.member)
    assert api.put(url, {"title": "改", "body": "正文"}, format="json").json()["title"] == "改"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_moderation_through_the_api(api, cast, world):
    as_user(api, cast.admin2)
    assert api.get(reverse("api-exchange-queue")).json()["reports"] == []
    assert (
        api.post(
            reverse("api-exchange-moderate", args=[world.post.pk]),
            {"action": "hide", "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert api.post(reverse("api-exchange-report-dismiss", args=[world.report.pk])).status_code == 404
    as_user(api, cast.admin)
    queue = api.get(reverse("api-exchange-queue")).json()
    assert [row["id"] for row in queue["held_posts"]] == [world.held.pk]
    approved = api.post(
        reverse("api-exchange-moderate", args=[world.held.pk]), {"action": "approve"}, format="json"
    )
    assert approved.status_code == 200 and Post.objects.get(pk=world.held.pk).status == Status.PUBLISHED
    hidden = api.post(
        reverse("api-exchange-comment-moderate", args=[world.comment.pk]), {"action": "hide"}, format="json"
    )
    assert hidden.status_code == 400 and "reason" in str(hidden.json())
    featured = api.post(reverse("api-exchange-feature", args=[world.post.pk]), {}, format="json").json()
    assert featured["featured"] is True
    as_user(api, cast.member)
    assert api.get(reverse("api-exchange-queue")).status_code == 403


def test_the_author_adds_a_picture_through_the_api(api, cast, world):
    url = reverse("api-exchange-images", args=[world.post.pk])
    as_user(api, cast.leader1)
    assert api.post(url, {"file": png()}, format="multipart").status_code == 403
    as_user(api, cast.member)
    added = api.post(url, {"file": png("图.png")}, format="multipart")
    assert added.status_code == 201
    assert added.json()["markdown"] == f"![图.png](image:{added.json()['id']})"
    assert api.get(added.json()["url"]).status_code == 200
