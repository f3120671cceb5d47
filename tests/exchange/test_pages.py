"""The 经验交流 pages: what each role is shown and offered, forms kept on error, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.exchange import services
from alliances.exchange.models import Post, Status
from tests.exchange.world import HELD_WORD, png

pytestmark = pytest.mark.django_db


def _page(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_an_anonymous_visitor_reads_a_published_post_but_no_comments(client, world):
    response = client.get(reverse("exchange:detail", args=[world.post.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.post.title in html and "红外测温" in html
    assert "很实用" not in html  # comments need an account
    assert "data-live-topic" not in html  # the socket admits no anonymous visitor
    assert reverse("exchange:comment", args=[world.post.pk]) not in html


def test_a_signed_in_reader_sees_comments_and_follows_the_post_live(client, cast, world):
    html = _page(client, cast.outsider, reverse("exchange:detail", args=[world.post.pk])).content.decode()
    assert "很实用" in html and "同意" in html
    assert f'data-live-topic="post:{world.post.pk}"' in html
    assert reverse("exchange:comment", args=[world.post.pk]) in html
    assert reverse("exchange:report", args=[world.post.pk]) in html
    assert reverse("exchange:edit", args=[world.post.pk]) not in html
    assert reverse("exchange:moderate", args=[world.post.pk]) not in html


def test_the_author_is_offered_edit_and_delete_the_admin_moderation(client, cast, world):
    html = _page(client, cast.member, reverse("exchange:detail", args=[world.post.pk])).content.decode()
    assert reverse("exchange:edit", args=[world.post.pk]) in html
    assert reverse("exchange:report", args=[world.post.pk]) not in html
    html = _page(client, cast.admin, reverse("exchange:detail", args=[world.post.pk])).content.decode()
    assert reverse("exchange:moderate", args=[world.post.pk]) in html
    assert reverse("exchange:feature", args=[world.post.pk]) in html


def test_the_author_sees_their_post_is_pending(client, cast, world):
    client.cookies["django_language"] = "en"  # the switcher's choice: pages ignore Accept-Language
    client.force_login(cast.member)
    url = reverse("exchange:detail", args=[world.held.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "pending review" in html
    assert "held for" not in html  # which word held it is for the moderators
    assert world.held.title in client.get(reverse("exchange:mine")).content.decode()
    client.force_login(cast.admin)
    assert "held for" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_writing_a_post_through_the_page(client, cast, world):
    client.force_login(cast.leader1)
    response = client.post(
        reverse("exchange:create"),
        {"title": "新帖子", "body": "正文", "work_fields": [world.field.pk], "studio": str(cast.studio1.pk)},
    )
    post = Post.objects.get(title="新帖子")
    assert response.status_code == 302 and response["Location"] == reverse("exchange:detail", args=[post.pk])
    assert post.studio == cast.studio1 and list(post.fields.all()) == [world.field]


def test_a_refused_post_comes_back_as_typed(client, cast):
    client.force_login(cast.leader1)
    response = client.post(reverse("exchange:create"), {"title": "只有标题", "body": ""})
    assert response.status_code == 400
    assert "只有标题" in response.content.decode()


def test_a_held_comment_through_the_page_says_it_waits(client, cast, world):
    client.cookies["django_language"] = "en"  # the switcher's choice: pages ignore Accept-Language
    client.force_login(cast.outsider)
    response = client.post(
        reverse("exchange:comment", args=[world.post.pk]),
        {"body": f"{HELD_WORD}", "parent": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "waits for a union admin" in response.content.decode()


def test_adding_a_picture_on_the_edit_page(client, cast, world):
    client.force_login(cast.member)
    response = client.post(reverse("exchange:image_add", args=[world.post.pk]), {"file": png("图.png")})
    assert response.status_code == 302
    assert world.post.images.count() == 2
    picture = world.post.images.last()
    served = client.get(reverse("exchange:image", args=[picture.pk]))
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"


def test_a_held_posts_picture_is_as_private_as_the_post(client, cast, world):
    image = services.post_image_add(actor=cast.member, post=world.held, upload=png())
    assert client.get(reverse("exchange:image", args=[image.pk])).status_code == 404
    client.force_login(cast.member)
    assert client.get(reverse("exchange:image", args=[image.pk])).status_code == 200


def test_the_home_page_shows_the_featured_posts(client, cast, world):
    services.post_feature(actor=cast.admin, post=world.post, featured=True)
    assert world.post.title in client.get(reverse("home:index")).content.decode()
    client.force_login(cast.admin)  # a union admin's home is the dashboard: featured there too
    assert world.post.title in client.get(reverse("home:index")).content.decode()


def test_the_moderation_queue_page(client, cast, world):
    html = _page(client, cast.admin, reverse("exchange:queue")).content.decode()
    assert world.held.title in html and "广告" in html
    response = client.post(
        reverse("exchange:moderate", args=[world.held.pk]), {"action": "hide", "reason": "", "from": "queue"}
    )
    assert response.status_code == 400  # the reason is needed: the queue again, with the error
    assert Post.objects.get(pk=world.held.pk).status == Status.PENDING
    response = client.post(
        reverse("exchange:moderate", args=[world.held.pk]),
        {"action": "approve", "reason": "", "from": "queue"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("exchange:queue")
    assert Post.objects.get(pk=world.held.pk).status == Status.PUBLISHED


def test_the_list_costs_the_same_queries_for_3_or_30_posts(
    client, cast, world, django_assert_max_num_queries
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exchange:list")).status_code == 200
        return len(queries)

    client.force_login(cast.outsider)
    few = count()
    for number in range(27):
        services.post_create(actor=cast.leader1, title=f"帖子{number}", body="正文", fields=[world.field])
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(reverse("exchange:list") + "?q=帖子")


def test_the_post_page_costs_the_same_queries_for_2_or_20_comments(client, cast, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.outsider)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exchange:detail", args=[world.post.pk])).status_code == 200
        return len(queries)

    few = count()
    for number in range(18):
        services.comment_create(actor=cast.leader1, post=world.post, body=f"评论{number}")
    assert count() == few
