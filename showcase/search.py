"""The showcase's achievements in the Chinese gram index (platform_core/search.py explains it).

A term in the title counts 2, in the summary 1. The description and the field tags are searched,
not scored: testing them again for each of tens of thousands of matches of a common word costs
more than it tells. The names below are what the showcase, its migrations and the benchmarks use.
"""

from __future__ import annotations

from platform_core.search import (
    EXACT_PHRASE_WEIGHT,
    GramIndex,
    _fts_match,
    grams,
    highlight,
    is_phrase,
    query_condition,
    query_terms,
    required_grams,
    term_condition,
    tsquery,
)

ACHIEVEMENTS = GramIndex(
    model="showcase.Achievement",
    table="showcase_achievement",
    gin_name="achievement_search_vector_gin",
    texts=("title", "summary", "description", "fields__name"),
    weights=(("title", 2), ("summary", 1)),
    phrase_texts=("title", "summary", "description"),
)

search = ACHIEVEMENTS.search
matching = ACHIEVEMENTS.matching
relevance = ACHIEVEMENTS.relevance
index_filter = ACHIEVEMENTS.index_filter
text_filter = ACHIEVEMENTS.text_filter
install_index = ACHIEVEMENTS.install
drop_index = ACHIEVEMENTS.drop
rebuild_sqlite_index = ACHIEVEMENTS.rebuild_sqlite

__all__ = [
    "ACHIEVEMENTS",
    "EXACT_PHRASE_WEIGHT",
    "_fts_match",
    "drop_index",
    "grams",
    "highlight",
    "index_filter",
    "install_index",
    "is_phrase",
    "matching",
    "query_condition",
    "query_terms",
    "rebuild_sqlite_index",
    "relevance",
    "required_grams",
    "search",
    "term_condition",
    "text_filter",
    "tsquery",
]
