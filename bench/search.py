"""Showcase search benchmark: N published achievements, timings of the queries a results page runs.

    make bench-search                                  # SQLite, 100,000 achievements
    make bench-search BENCH_ARGS="--count 20000"
    make bench-search BENCH_ARGS="--database postgres://postgres@127.0.0.1:5432/jb_bench"

It fills a scratch database (var/bench-search.sqlite3, or the PostgreSQL database named, which it
empties of achievements first) with synthetic achievements (showcase/synthetic.py: one title in 200
carries the rare word 钎焊), then times, for each query, the first results page (20 rows, ordered),
its count, and the facet counts, as the page does. It prints the median of several runs in ms and,
on PostgreSQL, the query plan of the results page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench-search.sqlite3"
QUERIES = [
    ("钎焊", "rare 2-char word (0.5% of titles)"),
    ("巡检", "common 2-char word"),
    ("焊接工艺", "4-char phrase"),
    ("隧", "1 character"),
    ("", "no query (newest first)"),
]


def setup(database: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="platform_core.settings", DEBUG="1", DATABASE_URL=database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from platform_core.orgs.models import Studio, Unit
    from showcase import synthetic
    from showcase.models import Achievement

    if Achievement.objects.count() == count:
        return
    Achievement.objects.all().delete()
    unit, _created = Unit.objects.get_or_create(name="基准单位")
    user, _created = get_user_model().objects.get_or_create(username="bench-search")
    studio, _created = Studio.objects.get_or_create(
        name="基准工作室", defaults={"unit": unit, "type": Studio.Type.SKILL, "leader": user}
    )
    started = time.perf_counter()
    for done in range(0, count, 10_000):
        synthetic.create(min(10_000, count - done), studio=studio, user=user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {count:,} achievements in {time.perf_counter() - started:.1f} s")


def timed(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def measure(repeat: int) -> None:
    from django.core.paginator import Paginator
    from django.db import connection

    from showcase import selectors
    from showcase.selectors import ShowcaseFilters

    print(f"\n{connection.vendor}: median of {repeat} runs, ms")
    print(f"{'query':<12}{'what':<36}{'found':>8}{'window':>9}{'page':>9}{'facets':>9}")
    for query, what in QUERIES:
        filters = ShowcaseFilters(query=query)
        window = selectors.showcase_window(filters)
        found = f"{window.count:,}{'+' if window.more else ''}"
        # The window (ids of the newest matches, their count) is read once per page; the page
        # and the facets are taken from it (docs/showcase.md, "Search").
        window_ms = timed(lambda: selectors.showcase_window(filters), repeat)  # noqa: B023
        page_ms = timed(
            lambda: list(Paginator(selectors.showcase_results(filters, window), 20).get_page(1)),  # noqa: B023
            repeat,
        )
        facets_ms = timed(lambda: selectors.showcase_facets(filters, window), repeat)  # noqa: B023
        print(f"{query or '—':<12}{what:<36}{found:>8}{window_ms:>9.1f}{page_ms:>9.1f}{facets_ms:>9.1f}")
    if connection.vendor == "postgresql":
        sql, params = selectors.showcase_results(ShowcaseFilters(query="钎焊")).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql + " LIMIT 20", params)
            print("\nplan of the results page for 钎焊:")
            for (line,) in cursor.fetchall():
                print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=f"sqlite:///{DB_PATH}")
    arguments = parser.parse_args()
    setup(arguments.database)
    fill(arguments.count)
    measure(arguments.repeat)


if __name__ == "__main__":
    main()
