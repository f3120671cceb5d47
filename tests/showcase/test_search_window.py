"""A broad search is answered from its newest RESULT_WINDOW matches: ranked, paged, counted and
faceted among them, and the page and the API say that more matched. A narrower one is exact."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from showcase import selectors, synthetic
from showcase.models import Achievement
from showcase.selectors import ShowcaseFilters

WINDOW = 5


@pytest.fixture
def window(monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_WINDOW", WINDOW)
    return WINDOW


def some(cast, count: int, *, title: str, minutes_from: int = 0) -> list[Achievement]:
    """`count` published achievements titled `title`, one minute apart (the first the newest)."""
    synthetic.create(count, studio=cast.studio1, user=cast.leader1)
    rows = list(Achievement.objects.order_by("-pk")[:count])
    now = timezone.now()
    for index, row in enumerate(rows):
        row.title = f"{title}{index}"
        row.summary = "摘要"
        row.description = "说明"
        row.published_at = now - datetime.timedelta(minutes=minutes_from + index)
        row.search_grams = synthetic.search.grams(row.title, row.summary, row.description)
        row.save()
    return rows


@pytest.mark.django_db
def test_more_matches_than_the_window_are_ranked_counted_and_faceted_among_the_newest(cast, window):
    newest = some(cast, 4, title="钎焊巡检")
    older = some(cast, 4, title="钎焊", minutes_from=10)  # match too, but older than the window's
    filters = ShowcaseFilters(query="钎焊")
    assert selectors.showcase_count(filters) == WINDOW + 1  # counted no further than "more"
    results = list(selectors.showcase_results(filters))
    window_rows = {row.pk for row in newest} | {older[0].pk}
    assert {row.pk for row in results} == window_rows
    # Ranked within the window: all match the title equally, so newest first.
    assert [row.pk for row in results] == [row.pk for row in [*newest, older[0]]]
    assert sum(value.count for value in selectors.showcase_facets(filters)[0].values) == WINDOW
    # Relevance still ranks within the window: a second term found only in the newest four.
    both = ShowcaseFilters(query="钎焊 巡检")
    assert selectors.showcase_count(both) == 4
    assert [row.pk for row in selectors.showcase_results(both)] == [row.pk for row in newest]


@pytest.mark.django_db
def test_a_search_within_the_window_is_exact_and_keeps_two_character_matches(cast, window):
    rows = some(cast, 3, title="变电站巡检")
    some(cast, 4, title="隧道监测", minutes_from=10)
    filters = ShowcaseFilters(query="巡检")  # two characters from the middle of the title
    assert selectors.showcase_count(filters) == 3
    assert [row.pk for row in selectors.showcase_results(filters)] == [row.pk for row in rows]


@pytest.mark.django_db
def test_the_page_and_the_api_say_more_matched(cast, window):
    some(cast, WINDOW + 3, title="钎焊")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        page = english.get("/showcase/", {"q": "钎焊"}).content.decode()
        narrow = english.get("/showcase/", {"q": "钎焊7"}).content.decode()
    assert "Achievements found: more than 5; the newest 5 are ranked" in page
    assert "more than" not in narrow and "Achievements found: 1" in narrow
    body = Client().get("/api/v1/achievements/", {"q": "钎焊"}).json()
    assert body["count"] == WINDOW and body["count_capped"] is True and len(body["results"]) == WINDOW
    body = Client().get("/api/v1/achievements/", {"q": "钎焊7"}).json()
    assert body["count"] == 1 and body["count_capped"] is False
