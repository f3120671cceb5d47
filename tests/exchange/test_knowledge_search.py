"""The learning and exchange search over the knowledge registry: posts by a 2-character word and
an unspaced phrase, merged with another kind by relevance then date, facets, paging, visibility,
query counts constant in the page size. Other kinds (courses, Q&A) are registered by their own
apps; here a test kind stands in, made of experience posts written by `leader2`."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliances import knowledge
from alliances.exchange import services
from alliances.exchange.knowledge_search import knowledge_search
from alliances.exchange.models import Post
from alliances.exchange.search import POST_KIND, POSTS, post_hit
from alliances.knowledge import KnowledgeHit, KnowledgeKind
from alliances.models import FieldOfWork

pytestmark = pytest.mark.django_db


def _note_hit(post: Post, query: str) -> KnowledgeHit:
    hit = post_hit(post, query)
    return KnowledgeHit(
        kind="note", title=hit.title, snippet=hit.snippet, url=hit.url, when=hit.when, fields=hit.fields
    )


# A second kind over the same table: leader2's posts only, as a "note" (what the others see).
NOTE_KIND = KnowledgeKind(
    key="note",
    label="笔记",
    index=POSTS,
    visible=lambda user: Post.objects.filter(
        status="published", deleted_at__isnull=True, author__username="leader2"
    ),
    fields_lookup="fields",
    hit=_note_hit,
    date_field="published_at",
)


@contextlib.contextmanager
def note_kind():
    knowledge.register(NOTE_KIND)
    try:
        yield
    finally:
        knowledge._KINDS.pop("note", None)


def test_the_post_kind_is_registered():
    assert knowledge.kind("post") is POST_KIND


def test_a_two_character_word_and_an_unspaced_phrase_find_a_post(cast, world):
    services.post_create(actor=cast.leader1, title="变电站设备巡检要点", body="正文")
    found = knowledge_search(AnonymousUser(), query="巡检")
    titles = [str(hit.title) for hit in found.hits]
    assert any("<mark>巡检</mark>" in title for title in titles)
    assert found.count == 2
    phrase = knowledge_search(AnonymousUser(), query="变电站巡检")
    # The words apart (变电站 … 巡检) match; where the phrase is as written it ranks first.
    assert phrase.count == 2
    assert "经验" in str(phrase.hits[0].title)


def test_results_hide_what_the_viewer_may_not_see(cast, world):
    for user in (AnonymousUser(), cast.member, cast.admin):
        hits = knowledge_search(user, query="待审").hits
        assert hits == []  # the held post is not in the search, even for its author


def test_results_merge_kinds_by_relevance_then_date_with_facets(cast, world):
    field = FieldOfWork.objects.create(name="焊接")
    older = services.post_create(actor=cast.leader2, title="焊接的经验", body="焊接 焊接", fields=[field])
    Post.objects.filter(pk=older.pk).update(published_at=timezone.now() - datetime.timedelta(days=3))
    newer = services.post_create(actor=cast.leader1, title="焊接", body="正文")
    body_only = services.post_create(actor=cast.leader1, title="别的", body="说到焊接")
    with note_kind():
        results = knowledge_search(AnonymousUser(), query="焊接")
        kinds = {facet.key: facet.count for facet in results.kinds}
        # (courses and Q&A, registered by their apps, have nothing here)
        assert kinds["post"] == 3 and kinds["note"] == 1
        assert results.count == 4
        # Title and body (3) rank above title only (2) above body only (1); ties: newest first.
        order = [(hit.kind, hit.url) for hit in results.hits]
        detail = lambda post: reverse("exchange:detail", args=[post.pk])  # noqa: E731
        assert order[0][1] == detail(older) and order[1][1] == detail(older)
        assert order[2] == ("post", detail(newer)) and order[3] == ("post", detail(body_only))
        assert [(facet.name, facet.count) for facet in results.fields] == [("焊接", 2)]
        only_notes = knowledge_search(AnonymousUser(), query="焊接", kind_key="note")
        assert [hit.kind for hit in only_notes.hits] == ["note"] and only_notes.count == 1
        in_field = knowledge_search(AnonymousUser(), query="焊接", field_id=field.pk)
        assert in_field.count == 2
        page = knowledge_search(AnonymousUser(), query="焊接", offset=1, limit=2)
        assert [hit.url for hit in page.hits] == [detail(older), detail(newer)]
        assert page.has_previous and page.has_next


def test_without_a_query_the_newest_come_first(cast, world):
    services.post_create(actor=cast.leader1, title="最新的", body="正文")
    results = knowledge_search(AnonymousUser(), query="")
    assert "最新的" in str(results.hits[0].title)


def test_query_counts_do_not_grow_with_the_page_size(cast, world):
    for number in range(25):
        services.post_create(actor=cast.leader2, title=f"巡检记录{number}", body="巡检", fields=[world.field])
    with note_kind():

        def count(limit: int) -> int:
            with CaptureQueriesContext(connection) as queries:
                results = knowledge_search(AnonymousUser(), query="巡检", limit=limit)
                assert len(results.hits) == limit
            return len(queries)

        assert count(2) == count(20)


def test_the_page_and_the_api_for_an_anonymous_visitor(client, cast, world):
    response = client.get(reverse("exchange:learn_search"), {"q": "巡检"})
    assert response.status_code == 200
    assert "<mark>巡检</mark>" in response.content.decode()
    api = client.get(reverse("api-knowledge-search"), {"q": "巡检"})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 1 and body["results"][0]["kind"] == "post"
    assert {facet["key"] for facet in body["kinds"]} >= {"post"}
    assert client.get(reverse("api-knowledge-search"), {"kind": "nothing"}).status_code == 400
    assert client.get(reverse("api-knowledge-search"), {"limit": "1000"}).status_code == 400
    assert client.get(reverse("api-knowledge-search"), {"field": "x"}).status_code == 400


def test_a_hostile_query_is_escaped(client, cast, world):
    services.post_create(actor=cast.leader1, title="<b>巡检</b>", body="<script>x</script>巡检")
    html = client.get(reverse("exchange:learn_search"), {"q": "<script>巡检"}).content.decode()
    assert "<script>x" not in html and "&lt;b&gt;" in html
