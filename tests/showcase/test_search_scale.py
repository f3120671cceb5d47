"""Search at scale: the number of queries of a results page with its facets does not grow with the
data, and on PostgreSQL a two-character query is served by the n-gram GIN index."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from showcase import selectors, synthetic
from showcase.selectors import ShowcaseFilters

LARGE = 20_000


def page_queries(filters: ShowcaseFilters) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(selectors.showcase_results(filters), 20).get_page(1)
        list(page)
        selectors.showcase_facets(filters)
    return len(captured)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_achievements(cast):
    filters = ShowcaseFilters(query=synthetic.RARE_WORD)
    synthetic.create(200, studio=cast.studio1, user=cast.leader1)
    small = page_queries(filters)
    synthetic.create(LARGE - 200, studio=cast.studio1, user=cast.leader1)
    assert page_queries(filters) == small
    found = selectors.showcase_results(filters).count()
    assert found == LARGE // 200


@pytest.mark.django_db
def test_postgres_plan_uses_the_gram_index(require_postgres, cast):
    synthetic.create(LARGE, studio=cast.studio1, user=cast.leader1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE showcase_achievement")
        # The search window's query (the results page then reads the ids it found).
        window = selectors._filtered(ShowcaseFilters(query=synthetic.RARE_WORD)).order_by(
            "-published_at", "-id"
        )
        sql, params = window.values("pk")[: selectors.RESULT_WINDOW + 1].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on achievement_search_vector_gin" in plan, plan
