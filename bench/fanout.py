"""Fan-out benchmark: N sockets in one topic, events published at a fixed rate, hub vs baseline.

    make bench                       # defaults below
    make bench BENCH_ARGS="--sockets 200 --rates 20,60,150 --seconds 5"

For each server (one daphne process each, run one after the other so each has the machine) and each
offered rate, it prints deliveries per second achieved, latency percentiles (publish to receipt),
and how many deliveries were lost or late (not received within 5 s after the run). The last columns
are the ratios hub / baseline. Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/14): events
are published to the channel layer exactly as `emit` does after commit, so the database is not what
is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench.sqlite3"


def prepare_database(redis_url: str) -> tuple[str, int, str]:
    """Migrate the bench database and return (session cookie, studio id, secret key)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="platform_core.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{DB_PATH}",
        REDIS_URL=redis_url,
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from platform_core.orgs.models import Studio, Unit
    from platform_core.orgs.services import studio_create

    call_command("migrate", verbosity=0)
    # A superuser, so it may name its own studio through the service like any admin.
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    unit, _ = Unit.objects.get_or_create(name="基准测试单位")
    studio = Studio.objects.filter(name="基准测试工作室").first() or studio_create(
        actor=user, studio=Studio(name="基准测试工作室", unit=unit, type="skill", leader=user)
    )
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, studio.pk, settings.SECRET_KEY


def start_server(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start")


async def run_load(
    port: int, cookie: str, topic: str, group: str, sockets: int, rate: int, seconds: float
) -> dict:
    from channels.layers import get_channel_layer
    from websockets.asyncio.client import connect

    base = f"http://127.0.0.1:{port}"
    clients = []
    for _ in range(sockets):
        ws = await connect(
            f"ws://127.0.0.1:{port}/ws/",
            origin=base,
            additional_headers={"Cookie": f"sessionid={cookie}"},
            max_queue=None,
        )
        await ws.recv()
        await ws.send(json.dumps({"type": "subscribe", "topic": topic, "ref": "b"}))
        while json.loads(await ws.recv()).get("ref") != "b":
            pass
        clients.append(ws)

    latencies: list[float] = []
    received = 0

    async def reader(ws):
        nonlocal received
        frames = 2  # the user topic's and the bench topic's `subscribed`
        try:
            async for text in ws:
                frames += 1
                if frames % 32 == 0:  # acknowledge what was read, as the page does
                    await ws.send(json.dumps({"type": "ack", "received": frames}))
                frame = json.loads(text)
                if frame.get("type") == "event":
                    latencies.append(time.perf_counter() - frame["data"]["t"])
                    received += 1
        except Exception:  # noqa: S110  the socket closing ends the reader
            pass

    readers = [asyncio.create_task(reader(ws)) for ws in clients]
    layer = get_channel_layer()
    events = int(rate * seconds)
    started = time.perf_counter()
    for seq in range(1, events + 1):
        await layer.group_send(
            group,
            {
                "type": "rt.event",
                "topic": topic,
                "seq": seq,
                "event": "bench",
                "data": {"t": time.perf_counter()},
            },
        )
        delay = started + seq / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    expected = events * sockets
    deadline = time.perf_counter() + 5
    while received < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    for ws in clients:
        await ws.close()
    for task in readers:
        task.cancel()
    latencies.sort()

    def pct(p: float) -> float:
        return (
            1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")
        )

    return {
        "offered": rate * sockets,
        "delivered_per_s": received / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "mean_ms": 1000 * statistics.fmean(latencies) if latencies else float("nan"),
        "lost": expected - received,
        "expected": expected,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--rates", default="20,50,100", help="events per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--only", choices=["hub", "baseline"], help="run one server only (for profiling)")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]

    cookie, studio_id, secret = prepare_database(args.redis)
    topic = f"studio:{studio_id}"
    from platform_core.realtime.groups import group_for_topic

    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": secret,
        "LOG_LEVEL": "WARNING",
        # Every bench socket is the same user, from the same address, opened at once.
        "REALTIME_HANDSHAKES_PER_USER": str(10 * args.sockets),
        "REALTIME_HANDSHAKES_PER_ADDRESS": str(10 * args.sockets),
    }
    servers = [
        ("baseline (group_send per socket)", "bench.baseline_asgi:application", "bench.baseline"),
        ("hub (one message per process)", "platform_core.asgi:application", group_for_topic(topic)),
    ]
    if args.only:
        servers = [s for s in servers if s[0].startswith(args.only)]
    results: dict[str, list[dict]] = {}
    for label, app, group in servers:
        process = start_server(app, 18900, env)
        try:
            results[label] = []
            for rate in rates:
                results[label].append(
                    asyncio.run(run_load(18900, cookie, topic, group, args.sockets, rate, args.seconds))
                )
        finally:
            process.terminate()
            process.wait(10)

    print(
        f"\nFan-out: {args.sockets} sockets in one topic, one daphne process, {args.seconds:g} s per rate, "
        f"{os.cpu_count()} CPUs\n"
    )
    header = f"{'server':34} {'offered/s':>10} {'delivered/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'lost':>7}"
    print(header)
    print("-" * len(header))
    for label, rows in results.items():
        for row in rows:
            print(
                f"{label:34} {row['offered']:>10,} {row['delivered_per_s']:>12,.0f} {row['p50_ms']:>8.1f} "
                f"{row['p99_ms']:>8.1f} {row['lost']:>7,}"
            )
    if len(results) < 2:
        return
    base_rows, hub_rows = results[servers[0][0]], results[servers[1][0]]
    print("\nHub against baseline, side by side (same load, same machine):")
    for base, hub in zip(base_rows, hub_rows, strict=True):
        throughput = hub["delivered_per_s"] / base["delivered_per_s"]
        p50 = base["p50_ms"] / hub["p50_ms"]
        p99 = base["p99_ms"] / hub["p99_ms"]
        print(
            f"  offered {base['offered']:>7,}/s: delivers {throughput:.2f}x as much, p50 {p50:.1f}x lower, "
            f"p99 {p99:.1f}x lower, lost {hub['lost']:,} (baseline {base['lost']:,})"
        )


if __name__ == "__main__":
    main()
