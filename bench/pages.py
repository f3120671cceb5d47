"""Pages and API benchmark: req/s of the journeys' pages against logged-in `/api/v1/me/`, one run.

    make bench-pages                                     # PostgreSQL jb_bench_pages, 16 connections
    make bench-pages BENCH_ARGS="--seconds 3 --rounds 3 --only board,challenge"
    make bench-pages BENCH_ARGS="--profile"              # in process: queries, ms, cProfile top lines

What it does (docs/performance.md, "Pages and API"):

1. prepares a PostgreSQL database (`--database`, default jb_bench_pages on 127.0.0.1, created if
   missing): migrate, the demo data, then enough rows that every list is a full page (80 published
   challenges, 30 questions on the challenge measured, 120 achievements, 300 messages in the team
   room), and logs member1 in (a member of the team room);
2. in process, with production settings (DEBUG off): each URL's query count and median time, and
   the query count again after the lists have grown by half a page more rows, which must not change;
3. starts one daphne process with production settings (DEBUG off, the psycopg pool, Redis cache and
   channel layer, X-Forwarded-Proto https as behind the proxy), then for each URL runs 16 keep-alive
   connections, closed loop, for `--seconds`, interleaved with the baseline `/api/v1/me/` (the
   smallest view that reads the session and the user), `--rounds` times. It prints req/s (median of
   the rounds and the spread), the ratio to the baseline's median in the same run, and p50/p99.

The client runs on the same machine as the server (and, on the shared machine, beside other
work): compare ratios within one run, not absolute figures between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/jb_bench_pages"
USERNAME = "member1"
BASELINE = "me"
# (name, URL template): the pages and API lists of the three journeys, and the baseline first.
PAGES = [
    (BASELINE, "/api/v1/me/"),
    ("board", "/challenges/"),
    ("challenge", "/challenges/{challenge}/"),
    ("showcase", "/showcase/"),
    ("showcase search", "/showcase/?q=巡检"),
    ("team room", "/teams/{team}/"),
    ("room history API", "/api/v1/rooms/{room}/messages/"),
    ("challenges API", "/api/v1/challenges/"),
    ("achievements API", "/api/v1/achievements/"),
    ("achievement search API", "/api/v1/achievements/?q=巡检"),
    ("studios", "/studios/"),
    ("teams", "/teams/"),
    ("rooms API", "/api/v1/rooms/"),
    ("notifications API", "/api/v1/notifications/"),
]
# What the lists hold before the "grown" query count (each list at least one full page).
FILL = {"challenges": 80, "questions": 30, "achievements": 120, "messages": 300}


def production_env(database: str, redis: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "platform_core.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-pages-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        # The bench is one user at a few hundred requests a second: the per-user API brake
        # (1,200/min) would answer 429s, which is not what is measured.
        "API_RATE_USER": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }


def ensure_database(database: str) -> None:
    import psycopg

    parts = urlsplit(database)
    name = parts.path.lstrip("/")
    admin = database.replace(parts.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(database: str, redis: str) -> None:
    ensure_database(database)
    os.environ.update(production_env(database, redis))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG off serves assets from the collected manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)


def fill() -> dict[str, int]:
    """Demo data plus full lists; returns the ids the URLs name. Idempotent."""

    from django.contrib.auth import get_user_model

    from alliances.models import Room
    from challenges.models import Challenge
    from platform_core.demo import seed_demo

    users = get_user_model().objects
    if not users.filter(username=USERNAME).exists():
        seed_demo()
    member = users.get(username=USERNAME)
    room = Room.objects.filter(kind=Room.Kind.TEAM, memberships__user=member).order_by("pk").first()
    challenge = Challenge.objects.filter(state="published").order_by("pk").first()
    assert room is not None and challenge is not None
    grow(FILL, room=room, challenge=challenge)
    return {"room": room.pk, "team": room.team_id, "challenge": challenge.pk}


def grow(target: dict[str, int], *, room, challenge) -> None:
    """Add rows until each list holds at least target[...] of them (bulk: no events, no mail)."""
    import datetime
    import random
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from alliances.markdown import render_markdown
    from alliances.models import Message
    from challenges.models import Challenge, Question
    from challenges.search import challenge_grams
    from platform_core.orgs.models import Studio
    from showcase import synthetic
    from showcase.models import Achievement

    now = timezone.now()
    chooser = random.Random(5)
    published = Challenge.objects.filter(state="published")
    missing = target["challenges"] - published.count()
    if missing > 0:
        Challenge.objects.bulk_create(
            Challenge(
                title=f"{''.join(chooser.sample(synthetic.WORDS, 3))} 课题 {index}",
                statement="。".join("".join(chooser.sample(synthetic.WORDS, 6)) for _ in range(3)),
                fields=chooser.sample(["节能", "焊接", "人工智能", "通信"], 2),
                fields_key="",
                unit=challenge.unit,
                poster=challenge.poster,
                reward_amount=Decimal(chooser.randrange(10_000, 500_000)),
                bidding_deadline=now + datetime.timedelta(days=1 + index % 30),
                expected_delivery=(now + datetime.timedelta(days=90)).date(),
                contact_name="联系人",
                state="published",
                published_at=now - datetime.timedelta(minutes=index),
            )
            for index in range(missing)
        )
        for row in Challenge.objects.filter(fields_key=""):
            row.fields_key = "|" + "|".join(row.fields) + "|" if row.fields else ""
            row.search_grams = challenge_grams(row.title, row.statement)
            row.save(update_fields=["fields_key", "search_grams"])
    users = list(get_user_model().objects.filter(is_active=True).order_by("pk")[:20])
    missing = target["questions"] - challenge.questions.count()
    if missing > 0:
        Question.objects.bulk_create(
            Question(
                challenge=challenge,
                asked_by=users[index % len(users)],
                body=f"关于{''.join(chooser.sample(synthetic.WORDS, 2))}的问题 {index}？",
                answer=f"答复：{''.join(chooser.sample(synthetic.WORDS, 4))}",
                answered_by=challenge.poster,
                answered_at=now,
            )
            for index in range(missing)
        )
    achievements = Achievement.objects.filter(state=Achievement.State.PUBLISHED)
    missing = target["achievements"] - achievements.count()
    if missing > 0:
        studio = Studio.objects.order_by("pk").first()
        synthetic.create(missing, studio=studio, user=studio.leader)
    members = [member.user for member in room.memberships.select_related("user")]
    missing = target["messages"] - room.messages.count()
    if missing > 0:
        last = room.messages.aggregate(last=Max("seq"))["last"] or 0
        rows = []
        for index in range(missing):
            body = "，".join(chooser.sample(synthetic.WORDS, 6))
            rows.append(
                Message(
                    room=room,
                    seq=last + 1 + index,
                    sender=members[index % len(members)],
                    client_id=f"bench-{last + 1 + index}",
                    body=body,
                    html=render_markdown(body),
                )
            )
        Message.objects.bulk_create(rows)
        room.last_seq = last + missing
        room.save(update_fields=["last_seq"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def urls(ids: dict[str, int], only: list[str] | None = None) -> list[tuple[str, str]]:
    chosen = [(name, template.format(**ids)) for name, template in PAGES]
    if only:
        chosen = [(name, url) for name, url in chosen if name == BASELINE or name in only]
    return [(name, quote(url, safe="/?=&:")) for name, url in chosen]


def logged_in_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(headers={"accept-language": "zh-hans", "x-forwarded-proto": "https"})
    client.force_login(get_user_model().objects.get(username=USERNAME))
    return client


def measure_in_process(pages: list[tuple[str, str]], repeat: int, profile: bool) -> dict[str, int]:
    """Each URL: status, queries, median ms (in process, production settings); with `profile`,
    the cProfile lines that take most cumulative time. Returns the query counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client()
    counts: dict[str, int] = {}
    print(f"\nIn process, logged in as {USERNAME}, production settings: median of {repeat}")
    print(f"{'page':<26}{'status':>7}{'queries':>9}{'ms':>9}")
    for name, url in pages:
        client.get(url)  # warm: template loading, translations, first queries
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = list(captured.captured_queries)  # the next request clears the log
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
        counts[name] = len(queries)
        print(f"{name:<26}{response.status_code:>7}{len(queries):>9}{statistics.median(runs):>9.1f}")
        if profile:
            print_profile(client, url, repeat, queries)
    return counts


# Where the time of one page goes: cumulative time of these functions (each counted once however
# deep it recurses), as a share of the request, from cProfile over `repeat` requests.
PROFILE_PARTS = [
    ("SQL (execute + fetch)", "django/db/backends/utils.py", "_execute"),
    ("SQL rows to objects", "django/db/models/query.py", "__iter__"),
    ("template rendering", "django/template/base.py", "render"),
    ("context processors", "django/template/context.py", "bind_template"),
    ("URL reversing", "django/urls/base.py", "reverse"),
    ("translations (gettext)", "django/utils/translation/trans_real.py", "gettext"),
    ("session load", "django/contrib/sessions/backends/db.py", "load"),
    ("user load", "django/contrib/auth/__init__.py", "get_user"),
    ("DRF serializer .data", "rest_framework/serializers.py", "data"),
    ("form rendering", "django/forms/utils.py", "render"),
    ("date formatting", "django/utils/dateformat.py", "format"),
]


def print_profile(client, url: str, repeat: int, queries: list[dict]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    started = time.perf_counter()
    for _ in range(repeat):
        client.get(url)
    total = time.perf_counter() - started
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    for label, path, function in PROFILE_PARTS:
        cumulative = sum(
            entry[3]
            for (file, _line, name), entry in stats.items()
            if file.endswith(path) and name == function
        )
        if cumulative:
            print(f"     {label:<28}{cumulative / total:>6.0%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    lines = [line for line in out.getvalue().splitlines() if line.strip()][-13:]
    print("\n".join("     " + line[:160] for line in lines))
    for query in queries:
        print("     SQL", query["sql"][:200])


# HTTP load ---------------------------------------------------------------------------------------


def session_cookie() -> str:
    from django.conf import settings

    return logged_in_client().cookies[settings.SESSION_COOKIE_NAME].value


def start_daphne(port: int, env: dict[str, str]) -> subprocess.Popen:
    import urllib.request

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "platform_core.asgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=1)  # noqa: S310  our own server
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("daphne did not start")


async def _read_response(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length = None
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        key, _, value = line.decode("latin-1").partition(":")
        key = key.strip().lower()
        if key == "content-length":
            length = int(value)
        elif key == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _load(port: int, path: str, cookie: str, connections: int, seconds: float) -> dict:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
        "X-Forwarded-Proto: https\r\nAccept-Language: zh-hans\r\nAccept: text/html,application/json\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    stop = started + seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                sent = time.perf_counter()
                writer.write(request)
                try:
                    status = await _read_response(reader)
                except (ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - sent)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {"rps": len(latencies) / elapsed, "p50": pct(0.5), "p99": pct(0.99), "statuses": statuses}


def run_http(
    pages: list[tuple[str, str]], port: int, cookie: str, connections: int, seconds: float, rounds: int
) -> dict[str, list[dict]]:
    """Each round, for each page: the baseline for `seconds`, then the page for `seconds`, so
    each page is compared with a baseline measured just before it (the load of a shared machine
    changes from one minute to the next); `ratio` is page / that baseline."""
    base_url = dict(pages)[BASELINE]
    results: dict[str, list[dict]] = {name: [] for name, _url in pages}
    for _name, url in pages:  # warm every page once: templates, first queries, pool
        asyncio.run(_load(port, url, cookie, 2, 0.3))
    for round_number in range(rounds):
        for name, url in pages:
            if name == BASELINE:
                continue
            base = asyncio.run(_load(port, base_url, cookie, connections, seconds))
            result = asyncio.run(_load(port, url, cookie, connections, seconds))
            result["ratio"] = result["rps"] / base["rps"] if base["rps"] else 0.0
            results[BASELINE].append(base)
            results[name].append(result)
            bad = {status: n for status, n in result["statuses"].items() if status != 200}
            print(
                f"  round {round_number + 1} {name:<26}{result['rps']:>8.1f} req/s, baseline just before "
                f"{base['rps']:>6.1f}: {result['ratio']:.2f}" + (f"  non-200: {bad}" if bad else ""),
                flush=True,
            )
    return results


def report(results: dict[str, list[dict]], queries: dict[str, int], grown: dict[str, int]) -> None:
    base = statistics.median(r["rps"] for r in results[BASELINE])
    print(
        f"\n{'page':<26}{'req/s':>8}{'spread':>12}{'× me':>7}{'spread':>12}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'queries':>9}{'grown':>7}"
    )
    print("-" * 99)
    for name, runs in results.items():
        rates = [r["rps"] for r in runs]
        ratios = [r.get("ratio", 1.0) for r in runs]
        middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        print(
            f"{name:<26}{statistics.median(rates):>8.1f}{f'{min(rates):.0f}-{max(rates):.0f}':>12}"
            f"{statistics.median(ratios):>7.2f}{f'{min(ratios):.2f}-{max(ratios):.2f}':>12}"
            f"{middle['p50']:>9.1f}{middle['p99']:>9.1f}{queries.get(name, 0):>9}{grown.get(name, 0):>7}"
        )
    print(
        f"\nbaseline: logged-in /api/v1/me/ at {base:.1f} req/s (median of its {len(results[BASELINE])} "
        "runs, one just before each page's); '× me' is the median over the rounds of the page's req/s "
        "over the baseline's just before it; 'grown' is the query count after every list grew by"
        " half a page and more (it must equal 'queries')."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated page names (the baseline always runs)")
    parser.add_argument("--profile", action="store_true", help="in process only, with cProfile and SQL")
    parser.add_argument("--repeat", type=int, default=15, help="in-process runs per URL")
    args = parser.parse_args()
    setup(args.database, args.redis)
    ids = fill()
    pages = urls(ids, [name.strip() for name in args.only.split(",") if name.strip()])
    queries = measure_in_process(pages, args.repeat, args.profile)
    if args.profile:
        return
    from alliances.models import Room
    from challenges.models import Challenge

    grow(
        {key: value + 30 for key, value in FILL.items()},
        room=Room.objects.get(pk=ids["room"]),
        challenge=Challenge.objects.get(pk=ids["challenge"]),
    )
    grown = measure_in_process(pages, 1, False)
    cookie = session_cookie()
    from django.db import connections

    connections.close_all()
    print(
        f"\nHTTP: one daphne process (DEBUG off, PostgreSQL pool, Redis), {args.connections} keep-alive "
        f"connections, {args.seconds:g} s per page per round, {args.rounds} rounds"
    )
    server = start_daphne(args.port, production_env(args.database, args.redis))
    try:
        results = run_http(pages, args.port, cookie, args.connections, args.seconds, args.rounds)
    finally:
        server.terminate()
        server.wait(timeout=20)
    report(results, queries, grown)


if __name__ == "__main__":
    main()
