"""Chinese full-text search: a two-character word from the middle of a title matches, on SQLite
(FTS5 over n-grams) and PostgreSQL (GIN over n-grams); highlighting escapes user text."""

from __future__ import annotations

import pytest
from django.db import connection

from showcase import search, selectors
from showcase.selectors import ShowcaseFilters

from .conftest import make_achievement


def titles(query: str, **filters) -> list[str]:
    return [a.title for a in selectors.showcase_results(ShowcaseFilters(query=query, **filters))]


@pytest.fixture
def three(cast):
    make_achievement(cast, title="变电站巡检无人机", summary="自主巡检", description="")
    make_achievement(cast, title="电缆隧道智能巡检系统", summary="隧道巡视", description="含机器人")
    make_achievement(
        cast, title="客服话术优化法", summary="服务", description="巡检二字不在标题", type="service"
    )


@pytest.mark.django_db
def test_a_two_character_word_from_the_middle_of_a_title_matches(three):
    assert set(titles("巡检")) == {"变电站巡检无人机", "电缆隧道智能巡检系统", "客服话术优化法"}
    assert titles("隧道") == ["电缆隧道智能巡检系统"]
    assert titles("站巡") == ["变电站巡检无人机"]


@pytest.mark.django_db
def test_relevance_puts_title_matches_first(three):
    assert titles("巡检")[-1] == "客服话术优化法"


@pytest.mark.django_db
def test_characters_found_apart_do_not_make_a_two_character_word(cast):
    make_achievement(cast, title="巡视记录", summary="检修计划", description="")
    # 巡检 needs the bigram 巡检 itself: 巡 and 检 in different words do not make it.
    assert titles("巡检") == []
    # A phrase of two words written without a space finds both words apart (test_search_phrases),
    # but a piece of one character is never enough: 巡检员 needs 巡检 and 检员.
    assert titles("巡检员") == []


@pytest.mark.django_db
def test_one_character_and_several_terms(three):
    assert titles("隧") == ["电缆隧道智能巡检系统"]
    assert titles("巡检 无人机") == ["变电站巡检无人机"]


@pytest.mark.django_db
def test_latin_terms_are_case_insensitive(cast):
    make_achievement(cast, title="PLC 程序快速诊断法", summary="诊断")
    assert titles("plc") == ["PLC 程序快速诊断法"]


@pytest.mark.django_db
def test_the_index_follows_edits(cast, draft):
    from showcase.services import achievements as services

    services.achievement_update(actor=cast.leader1, achievement=draft, **{**_data(), "title": "新标题钎焊"})
    services.achievement_submit(actor=cast.leader1, achievement=draft)
    services.achievement_publish(actor=cast.superadmin, achievement=draft)
    assert titles("钎焊") == ["新标题钎焊"]
    assert titles("秘密") == []


def _data():
    from .conftest import achievement_data

    return achievement_data()


def test_grams_are_unigrams_and_bigrams_within_runs():
    assert search.grams("焊接，AB") == " ".join(sorted({"焊", "接", "焊接", "a", "b", "ab"}))
    assert search.required_grams(search.query_terms("焊接机 x")) == sorted({"焊接", "接机", "x"})


def test_highlight_escapes_user_text():
    html = search.highlight("<script>焊接</script>", "焊接")
    assert html == "&lt;script&gt;<mark>焊接</mark>&lt;/script&gt;"
    assert search.highlight("<b>", "") == "&lt;b&gt;"


def _sql(query: str) -> str:
    """The SQL that finds the matches: the search window's (the results page then reads those ids)."""
    return str(selectors._filtered(ShowcaseFilters(query=query)).query)


@pytest.mark.django_db
def test_on_sqlite_a_two_character_query_goes_through_the_fts_table(three):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite index")
    assert "showcase_achievement_fts MATCH" in _sql("巡检")
    assert set(titles("巡检")) == {"变电站巡检无人机", "电缆隧道智能巡检系统", "客服话术优化法"}


@pytest.mark.django_db
def test_on_postgres_a_two_character_query_goes_through_the_gram_vector(require_postgres, three):
    assert "search_vector" in _sql("巡检") and "@@" in _sql("巡检")
    assert titles("隧道") == ["电缆隧道智能巡检系统"]
    assert set(titles("巡检")) == {"变电站巡检无人机", "电缆隧道智能巡检系统", "客服话术优化法"}
