"""An unspaced Chinese phrase finds what holds all of its pieces, the exact phrase first; field
tags are searched. On SQLite (FTS5) and, with DATABASE_URL=postgres://…, PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from django.db import connection

from showcase import search, selectors
from showcase.selectors import ShowcaseFilters

from .conftest import make_achievement

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [a.title for a in selectors.showcase_results(ShowcaseFilters(query=query))]


@pytest.fixture
def substations(cast):
    make_achievement(cast, title="变电站设备红外测温法", summary="定期巡检发现过热", description="")
    make_achievement(cast, title="无人机巡检航线规划", summary="用于变电站", description="")
    make_achievement(cast, title="配网变电站巡检机器人", summary="全天候", description="")
    make_achievement(cast, title="电缆接头制作工艺", summary="巡检以外的内容", description="")


def test_an_unspaced_phrase_finds_its_pieces_apart_with_the_exact_phrase_first(substations):
    spaced = set(titles("变电站 巡检"))
    assert spaced == {"变电站设备红外测温法", "无人机巡检航线规划", "配网变电站巡检机器人"}
    unspaced = titles("变电站巡检")
    assert set(unspaced) == spaced
    assert unspaced[0] == "配网变电站巡检机器人"


def test_every_piece_must_be_there_and_none_of_one_character(substations):
    # 电缆 | 巡检 | 接头 are all in the cable achievement, apart.
    assert titles("电缆巡检接头") == ["电缆接头制作工艺"]
    # 红外 and 巡检 are there, but 巡检仪 would leave 仪 alone: no split into pieces of two works.
    assert titles("红外巡检仪") == []
    # 测温 is in one achievement, 航线 in another: a phrase needs all its pieces in one.
    assert titles("测温航线") == []


def test_a_field_tag_is_searched(cast):
    make_achievement(cast, title="配电线路快速抢修法", summary="缩短停电时间", fields=["故障定位"])
    assert titles("故障定位") == ["配电线路快速抢修法"]
    assert titles("故障") == ["配电线路快速抢修法"]


def test_an_edited_tag_is_searched_and_the_old_one_no_longer(cast, draft):
    from showcase.services import achievements as services

    from .conftest import achievement_data

    services.achievement_update(
        actor=cast.leader1,
        achievement=draft,
        **achievement_data(title="标签已改", summary="摘要", description="", fields=["故障定位"]),
    )
    services.achievement_submit(actor=cast.leader1, achievement=draft)
    services.achievement_publish(actor=cast.superadmin, achievement=draft)
    assert titles("故障定位") == ["标签已改"]
    assert titles("机器人") == []


def test_an_ascii_word_is_still_matched_whole(cast):
    make_achievement(cast, title="PL 程序与 LC 电路", summary="两种", fields=[])
    make_achievement(cast, title="PLC 程序快速诊断法", summary="诊断", fields=[])
    assert titles("plc") == ["PLC 程序快速诊断法"]


def test_the_phrase_condition_needs_the_ends_and_no_single_character_piece():
    assert search.term_condition("巡检") == "巡检"
    condition = search.term_condition("变电站巡检")
    assert (
        search.tsquery(condition)
        == "('变电' & '巡检' & ('电站' | ('变电' & '站巡')) & ('站巡' | ('电站' & '巡检')))"
    )
    assert search._fts_match(condition).startswith('("变电" AND "巡检" AND ("电站" OR')


def test_the_pieces_are_highlighted_where_they_are_apart():
    html = search.highlight("变电站设备定期巡检", "变电站巡检")
    assert html == "<mark>变电站</mark>设备定期<mark>巡检</mark>"
    assert search.highlight("变电站巡检机器人", "变电站巡检") == "<mark>变电站巡检</mark>机器人"


def test_on_sqlite_the_phrase_goes_through_the_fts_table(substations):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite index")
    sql = str(selectors._filtered(ShowcaseFilters(query="变电站巡检")).query)  # the search window's
    assert "showcase_achievement_fts MATCH" in sql
    assert len(titles("变电站巡检")) == 3


def test_on_postgres_the_phrase_goes_through_the_gram_vector(require_postgres, substations):
    sql = str(selectors._filtered(ShowcaseFilters(query="变电站巡检")).query)  # the search window's
    assert "search_vector" in sql and "@@" in sql
    unspaced = titles("变电站巡检")
    assert unspaced[0] == "配网变电站巡检机器人" and len(unspaced) == 3
    assert titles("故障定位") == []
