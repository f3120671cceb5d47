"""Data at scale: the showcase search at 100,000 achievements, the board at 10,000 challenges, room
history and message search at 1,000,000 messages, measured in process on PostgreSQL.

    make bench-data                                   # generate (minutes, once) then measure
    make bench-data BENCH_ARGS="--measure-only"       # what `make bench` runs
    make bench-data BENCH_ARGS="--database postgres://postgres@127.0.0.1:5432/jb_bench_data"

The data (in its own database, jb_bench_data by default, created if missing; generated once and
kept, `--regenerate` starts again):

- 100,000 published achievements (showcase/synthetic.py: a 54-word vocabulary, so a common word
  such as 巡检 is in more than half of them; one title in 200 holds the rare word 钎焊), each with
  two of twelve field tags, one in ten with a transfer listing;
- 10,000 published challenges of one unit, as the board lists them;
- 1,000,000 chat messages in 200 rooms of 5,000: `bench-wide` belongs to all 200 rooms (searches
  1,000,000 messages), `bench-narrow` to 10 of them (50,000).

Each figure is the p50 and p95 of `--repeat` runs (after one warm-up run) against its goal
(docs/performance.md, "Data at scale"); "× goal" is p95 / goal (under 1 meets it). The round
trip of `SELECT 1` is printed as the calibration of the run: the machine is shared, so compare
figures with it rather than across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/jb_bench_data"
ACHIEVEMENTS = 100_000
CHALLENGES = 10_000
ROOMS = 200
MESSAGES_PER_ROOM = 5_000
NARROW_ROOMS = 10
TAGS = [
    "焊接",
    "巡检",
    "节能",
    "数控",
    "故障诊断",
    "人工智能",
    "电力",
    "机械",
    "化工",
    "通信",
    "安全",
    "质量",
]
# The queries of the showcase benchmark (bench/search.py) and what they stand for.
SEARCHES = [
    ("钎焊", "rare 2-char word (0.5% of titles)"),
    ("巡检", "common 2-char word (half the rows)"),
    ("焊接工艺", "4-char phrase"),
    ("隧", "1 character"),
    ("巡检 机器人", "two common words"),
    ("", "no query (newest first)"),
]


def setup(database: str) -> None:
    import psycopg

    parts = urlsplit(database)
    name = parts.path.lstrip("/")
    with psycopg.connect(database.replace(parts.path, "/postgres", 1), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        DJANGO_SETTINGS_MODULE="platform_core.settings",
        DEBUG="0",
        SECRET_KEY="bench-data-" + "k" * 40,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database,
        DB_POOL_MAX_SIZE="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generated() -> bool:
    from alliances.models import Message
    from challenges.models import Challenge
    from showcase.models import Achievement

    return (
        Achievement.objects.filter(state="published").count() >= ACHIEVEMENTS
        and Challenge.objects.filter(state="published").count() >= CHALLENGES
        and Message.objects.count() >= ROOMS * MESSAGES_PER_ROOM
    )


def generate() -> None:
    """Fill the database (bulk inserts; the chat messages in SQL, the index rebuilt after)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from alliances.models import Message, Room
    from challenges.models import Challenge
    from platform_core.orgs.models import Studio, Unit
    from showcase.models import Achievement, TransferListing

    started = time.perf_counter()
    users = get_user_model().objects
    unit, _ = Unit.objects.get_or_create(name="基准单位")
    leader, _ = users.get_or_create(username="bench-leader", defaults={"unit": unit})
    wide, _ = users.get_or_create(username="bench-wide", defaults={"unit": unit})
    narrow, _ = users.get_or_create(username="bench-narrow", defaults={"unit": unit})
    others = [users.get_or_create(username=f"bench-{n}", defaults={"unit": unit})[0] for n in range(3)]
    studio, _ = Studio.objects.get_or_create(
        name="基准工作室", defaults={"unit": unit, "type": Studio.Type.SKILL, "leader": leader}
    )

    if Achievement.objects.filter(state="published").count() != ACHIEVEMENTS:
        achievements_generate(studio, leader)
    if not TransferListing.objects.exists():
        tags_and_listings_generate()
    print(f"  achievements, tags and listings ({time.perf_counter() - started:.0f} s)", flush=True)
    if Challenge.objects.filter(state="published").count() != CHALLENGES:
        Challenge.objects.all().delete()
        challenges_generate(unit, leader)
    print(f"  challenges ({time.perf_counter() - started:.0f} s)", flush=True)
    if Message.objects.count() != ROOMS * MESSAGES_PER_ROOM:
        Message.objects.all().delete()
        Room.objects.filter(title__startswith="基准房间").delete()
        messages_generate(wide, narrow, others)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def achievements_generate(studio, leader) -> None:
    from showcase import synthetic
    from showcase.models import Achievement

    Achievement.objects.all().delete()
    for done in range(0, ACHIEVEMENTS, 10_000):
        synthetic.create(10_000, studio=studio, user=leader)
        print(f"  achievements {done + 10_000:,}", flush=True)


def tags_and_listings_generate() -> None:
    from django.db import connection

    from showcase.models import Achievement, FieldTag, TransferListing

    Achievement.fields.through.objects.all().delete()
    tags = [FieldTag.objects.get_or_create(name=name)[0] for name in TAGS]
    through = Achievement.fields.through
    with connection.cursor() as cursor:
        # Two tags each, spread over the twelve; one listing in ten (maturity and modes vary).
        cursor.execute(
            f"INSERT INTO {through._meta.db_table} (achievement_id, fieldtag_id) "  # noqa: S608  table names only
            "SELECT a.id, (ARRAY[%s])[1 + ((a.id + k) %% %s)] FROM showcase_achievement a, "
            "generate_series(0, 1) k" % (", ".join(str(tag.pk) for tag in tags), len(tags))
        )
    TransferListing.objects.bulk_create(
        TransferListing(
            achievement_id=pk,
            maturity=1 + index % 9,
            mode_licence=index % 2 == 0,
            mode_sale=index % 2 == 1 or index % 3 == 0,
            contact_name="联系人",
        )
        for index, pk in enumerate(Achievement.objects.order_by("pk").values_list("pk", flat=True)[::10])
    )


def challenges_generate(unit, leader) -> None:
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from challenges.models import Challenge
    from challenges.search import challenge_grams
    from showcase import synthetic

    now = timezone.now()
    WORDS = synthetic.WORDS
    statement = "冬季基站能耗高，寻求可推广的节能方案。"

    def challenge(index: int) -> Challenge:
        title = f"{WORDS[index % len(WORDS)]}{WORDS[(index * 7) % len(WORDS)]} 课题 {index}"
        return Challenge(
            title=title,
            statement=statement,
            fields=[TAGS[index % 12]],
            fields_key=f"|{TAGS[index % 12]}|",
            search_grams=challenge_grams(title, statement),
            unit=unit,
            poster=leader,
            reward_amount=Decimal(10_000 + index * 37 % 500_000),
            bidding_deadline=now + datetime.timedelta(days=1 + index % 60, minutes=index),
            expected_delivery=(now + datetime.timedelta(days=120)).date(),
            contact_name="联系人",
            state="published",
            published_at=now - datetime.timedelta(minutes=index),
        )

    Challenge.objects.bulk_create((challenge(index) for index in range(CHALLENGES)), batch_size=2000)


def messages_generate(wide, narrow, others) -> None:
    from django.db import connection

    from alliances.models import Room, RoomMember
    from showcase import synthetic

    rooms = Room.objects.bulk_create(
        Room(kind=Room.Kind.PRIVATE, title=f"基准房间{n}", last_seq=MESSAGES_PER_ROOM) for n in range(ROOMS)
    )
    RoomMember.objects.bulk_create(
        [RoomMember(room=room, user=wide, is_member=True) for room in rooms]
        + [RoomMember(room=room, user=narrow, is_member=True) for room in rooms[:NARROW_ROOMS]]
        + [RoomMember(room=room, user=user, is_member=True) for room in rooms for user in others]
    )
    senders = [wide.pk, *(user.pk for user in others)]
    words = ", ".join("'" + word + "'" for word in synthetic.WORDS)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS message_body_trgm")
        # Six words of the vocabulary per message, one in 500 with the rare word 钎焊.
        cursor.execute(
            f"""
            INSERT INTO alliances_message (room_id, seq, sender_id, client_id, body, html, created_at)
            SELECT r.id, g.seq, (ARRAY[{", ".join(map(str, senders))}])[1 + g.seq % {len(senders)}],
                   'gen-' || r.id || '-' || g.seq, t.body, '<p>' || t.body || '</p>',
                   now() - ({MESSAGES_PER_ROOM} - g.seq) * interval '1 minute'
            FROM alliances_room r
            CROSS JOIN generate_series(1, {MESSAGES_PER_ROOM}) AS g(seq)
            CROSS JOIN LATERAL (
                SELECT (CASE WHEN (r.id * 7 + g.seq) % 500 = 0 THEN '钎焊' ELSE '' END)
                    || (ARRAY[{words}])[1 + (g.seq * 7 + r.id) % {len(synthetic.WORDS)}]
                    || (ARRAY[{words}])[1 + (g.seq * 13 + r.id * 3) % {len(synthetic.WORDS)}] || '，'
                    || (ARRAY[{words}])[1 + (g.seq * 17 + r.id * 5) % {len(synthetic.WORDS)}]
                    || (ARRAY[{words}])[1 + (g.seq * 29 + r.id * 11) % {len(synthetic.WORDS)}] || '。'
                    || (ARRAY[{words}])[1 + (g.seq * 31 + r.id * 13) % {len(synthetic.WORDS)}]
                    || (ARRAY[{words}])[1 + (g.seq * 37 + r.id * 17) % {len(synthetic.WORDS)}] AS body
            ) t
            WHERE r.title LIKE '基准房间%%'
            """  # noqa: S608  generated SQL from constants
        )
        print(f"  {ROOMS * MESSAGES_PER_ROOM:,} messages", flush=True)
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS message_body_trgm ON alliances_message "
            "USING gin (UPPER(body) gin_trgm_ops)"
        )


# Measuring ---------------------------------------------------------------------------------------


def timings(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    action()  # warm
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, int(0.95 * len(runs)))]


def server_ms(action: Callable[[], object]) -> tuple[int, float]:
    """(queries, PostgreSQL's own execution time of them in ms): each SELECT the action ran, run
    again under EXPLAIN ANALYZE. Unlike the wall time it leaves out the client's Python and the
    waits of a busy machine's scheduler: what the database itself spends."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    total = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                total += (json.loads(plan) if isinstance(plan, str) else plan)[0]["Execution Time"]
    return len(captured.captured_queries), total


HEADER = (
    f"{'what':<20}{'case':<34}{'found':>7}{'queries':>8}{'sql ms':>8}{'p50':>8}{'p95':>8}{'goal':>6}"
    f"{'× goal':>8}"
)


def row(label: str, what: str, found: object, action: Callable[[], object], repeat: int, goal: float) -> None:
    p50, p95 = timings(action, repeat)
    queries, sql = server_ms(action)
    print(
        f"{label:<20}{what:<34}{found!s:>7}{queries:>8}{sql:>8.1f}{p50:>8.1f}{p95:>8.1f}{goal:>6.0f}"
        f"{p95 / goal:>8.2f}",
        flush=True,
    )


def measure(repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator
    from django.db import connection

    from alliances import selectors as chat
    from alliances.events import message_payload
    from alliances.models import Room
    from challenges.selectors import board
    from showcase import selectors
    from showcase.selectors import ShowcaseFilters

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    calibration = timings(select_one, repeat * 4)
    print(f"\nData at scale, PostgreSQL, in process: p50 / p95 of {repeat} runs, ms")
    print(
        f"calibration (the machine's state now): SELECT 1 round trip p50 {calibration[0]:.2f} ms, "
        f"p95 {calibration[1]:.2f} ms"
    )
    print("'sql ms': PostgreSQL's execution time of the figure's queries (EXPLAIN ANALYZE), once")
    print(f"\n{HEADER}")
    print("-" * len(HEADER))

    for query, what in SEARCHES:
        filters = ShowcaseFilters(query=query)
        window = selectors.showcase_window(filters)
        found = f"{window.count}{'+' if window.more else ''}"

        def page(filters=filters):
            # What the list page reads: the window once, then its first page and its facets.
            window = selectors.showcase_window(filters)
            rows = Paginator(selectors.showcase_results(filters, window), 20).page(1)
            titles = [(a.pk, a.title, a.studio.name, [tag.name for tag in a.fields.all()]) for a in rows]
            return titles, selectors.showcase_facets(filters, window)

        row("showcase page", f"{query or '—'}: {what}", found, page, repeat, 100)
        row(
            "  of which window",
            f"{query or '—'}",
            found,
            lambda f=filters: selectors.showcase_window(f),
            repeat,
            100,
        )
        row(
            "  of which facets",
            f"{query or '—'}",
            found,
            lambda f=filters, w=window: selectors.showcase_facets(f, w),
            repeat,
            100,
        )

    member = get_user_model().objects.get(username="bench-narrow")
    for user, who in ((member, "logged in"), (AnonymousUser(), "visitor")):
        for sort, query in (("deadline", ""), ("newest", ""), ("reward", "节能")):

            def first_page(user=user, sort=sort, query=query):
                result = Paginator(board(user, sort=sort, query=query), 20).page(1)
                return result.paginator.count, [(c.title, c.unit.name, c.effective_state) for c in result]

            found = first_page()[0]
            case = f"{who}, {sort}{', ' + query if query else ''}"
            row("board first page", case, found, first_page, repeat, 50)

    room = Room.objects.filter(title__startswith="基准房间").order_by("pk").first()
    wide = get_user_model().objects.get(username="bench-wide")
    for label, before in (("newest page", None), ("middle page", 2500), ("oldest page", 51)):

        def history(before=before):
            found_room = chat.room_for_member(wide, room.pk)
            messages, _more = chat.room_history(found_room, before=before)
            return [message_payload(message) for message in messages]

        row("room history", f"{label}, 50 of 5,000 (1M in all)", 50, history, repeat, 20)
    for user, scope in ((wide, "200 rooms, 1,000,000"), (member, f"{NARROW_ROOMS} rooms, 50,000")):
        for query in ("钎焊", "巡检", "变电站巡检"):
            found = len(chat.message_search(user, query))
            row(
                "message search",
                f"{query} in {scope}",
                found,
                lambda u=user, q=query: chat.message_search(u, q),
                repeat,
                100,
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DATA_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--measure-only", action="store_true", help="skip generating (say so if missing)")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    setup(args.database)
    if args.regenerate or not generated():
        if args.measure_only:
            print(f"\nData at scale: no generated data in {args.database}: run `make bench-data` first.")
            return
        generate()
    measure(args.repeat)


if __name__ == "__main__":
    main()
