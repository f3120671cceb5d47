"""Chat benchmark: persisted chat against its baselines, side by side in one run (issue 15, §1, §4).

    make bench-chat
    make bench-chat BENCH_ARGS="--repeats 1 --seconds 4 --only send,fanout"
    make bench-chat BENCH_ARGS="--profile var/profiles --only send"   # py-spy on the platform

Servers, started once and measured in turn (interleaved, so each repeat sees the same machine):

- bare: a bare `websockets` server broadcasting each frame (bench/baseline_bare.py);
- hub: a minimal ASGI hub on daphne, no Django, no database (bench/baseline_hub.py);
- platform: the platform's own daphne, production settings (DEBUG off), PostgreSQL and Redis, one
  process; clients send `message.send` frames that are stored, acknowledged and fanned out;
- insert: a plain psycopg loop committing single-row INSERTs on the same PostgreSQL.

Headline figures are the median of `--repeats` (3) with their spread (min-max); section 4 figures
run once. Needs PostgreSQL (`--database`, default BENCH_DATABASE_URL or a `bench_chat` database on
127.0.0.1, created if missing) and Redis (`--redis`, default REDIS_URL or db 14).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SCENARIOS = ("send", "rooms", "fanout", "insert", "stall", "storm", "idle")


# Setup ------------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class World:
    """Users with a session each, and the rooms the scenarios use."""

    cookies: dict[int, str] = field(default_factory=dict)  # user id -> session key
    rooms: dict[str, list[tuple[int, list[int]]]] = field(
        default_factory=dict
    )  # name -> [(room id, members)]


def prepare(database: str, redis: str, secret: str) -> World:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="platform_core.settings",
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database,
        REDIS_URL=redis,
        LOG_LEVEL="WARNING",
        CHANNEL_PREFIX="chatbench",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from alliances.models import Room
    from alliances.services.rooms import room_create

    call_command("migrate", verbosity=0)
    User = get_user_model()
    wanted = 500
    existing = {u.username: u for u in User.objects.filter(username__startswith="chatbench")}
    missing = [
        User(username=f"chatbench{i:04d}", first_name=f"测{i}", password="!")
        for i in range(wanted)
        if f"chatbench{i:04d}" not in existing
    ]
    User.objects.bulk_create(missing)
    users = list(User.objects.filter(username__startswith="chatbench").order_by("username")[:wanted])
    world = World()
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        world.cookies[user.pk] = store.session_key
    ids = [user.pk for user in users]

    def rooms(name: str, count: int, size: int, offset: int = 0) -> None:
        made = []
        for index in range(count):
            members = ids[offset + index * size : offset + (index + 1) * size]
            room = room_create(title=f"bench {name} {index}", members=[u for u in users if u.pk in members])
            made.append((room.pk, members))
        world.rooms[name] = made

    # Fresh rooms each run: a room's history does not carry over between runs.
    Room.objects.filter(title__startswith="bench ").delete()
    rooms("send", 1, 10)
    rooms("rooms", 10, 10, offset=10)
    rooms("fanout", 1, 200)
    rooms("storm", 20, 25)
    return world


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def rss(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0


def start(name: str, argv: list[str], env: dict, port: int, cwd: Path = ROOT) -> Server:
    log = open(VAR / f"bench-chat-{name}.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} server exited; see {log.name}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            time.sleep(0.5)
            return Server(name, port, process)
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} server did not start; see {log.name}")


def batches(server: Server) -> tuple[float, float]:
    """(messages, transactions) the platform has stored chat sends in so far (its /metrics)."""
    import urllib.request

    totals = {"sum": 0.0, "count": 0.0}
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10) as answer:
        for line in answer.read().decode().splitlines():
            for key in totals:
                if line.startswith(f"jbgs_chat_send_batch_size_{key} "):
                    totals[key] = float(line.split()[1])
    return totals["sum"], totals["count"]


def daphne(app: str, port: int, env: dict, name: str, cwd: Path = ROOT) -> Server:
    argv = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    return start(name, argv, env, port, cwd)


# Clients ----------------------------------------------------------------------------------------


class Client:
    """One websocket: sends chat frames, reads everything, measures, acknowledges like the page."""

    def __init__(self, ws, user_id: int, platform: bool) -> None:
        self.ws = ws
        self.user_id = user_id
        self.platform = platform
        self.frames = 0
        self.last: dict[str, int] = {}  # topic -> last event seq
        self.got: dict[str, set[int]] = defaultdict(set)  # topic -> message seqs received
        self.latencies: list[float] = []
        self.dups = 0
        self.gaps = 0
        self.resyncs = 0
        self.errors: dict[str, int] = defaultdict(int)
        self.sent: dict[str, float] = {}  # client_id -> when first sent
        self.acks: dict[str, tuple[int, int]] = {}  # client_id -> (message id, seq)
        self.ack_latencies: list[float] = []
        self.ack_mismatch = 0
        self.waiters: dict[str, asyncio.Future] = {}
        self.closed_code: int | None = None
        self.last_ack_at = 0.0
        self.dropped = False  # the benchmark cut it: frames still buffered are not counted
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        try:
            async for text in self.ws:
                if self.dropped:
                    break
                now = time.perf_counter()
                self.frames += 1
                if self.platform and self.frames % 32 == 0:
                    await self.ws.send(json.dumps({"type": "ack", "received": self.frames}))
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "event":
                    self.on_event(frame, now)
                elif kind == "message.send":  # a baseline's echo
                    self.latencies.append(now - float(frame["body"].split()[0]))
                elif kind == "ack" and "client_id" in frame:
                    self.on_ack(frame, now)
                elif kind == "error":
                    self.errors[frame.get("code", "?")] += 1
                    self.sent.pop(str(frame.get("client_id")), None)
                elif kind == "resync":
                    self.resyncs += 1
                    self.last[frame["topic"]] = frame["head"]
                waiter = self.waiters.pop(str(frame.get("ref")), None) if "ref" in frame else None
                if waiter is not None and not waiter.done():
                    waiter.set_result(frame)
        except Exception:  # noqa: S110  a closed socket ends the reader
            pass
        finally:
            self.closed_code = getattr(self.ws, "close_code", None)

    def on_event(self, frame: dict, now: float) -> None:
        topic, seq = frame["topic"], frame["seq"]
        last = self.last.get(topic)
        if last is not None:
            if seq <= last:
                self.dups += 1
                return
            if seq != last + 1:
                self.gaps += 1
        self.last[topic] = seq
        if frame["event"] == "message.created":
            data = frame["data"]
            if data["seq"] in self.got[topic]:
                self.dups += 1
            self.got[topic].add(data["seq"])
            self.latencies.append(now - float(data["body"].split()[0]))

    def on_ack(self, frame: dict, now: float) -> None:
        client_id = str(frame["client_id"])
        sent = self.sent.get(client_id)
        answer = (frame.get("id"), frame.get("seq"))
        first = self.acks.setdefault(client_id, answer)
        if first != answer:
            self.ack_mismatch += 1
        self.last_ack_at = now
        if sent is not None and len(self.ack_latencies) < 10**6:
            self.ack_latencies.append(now - sent)
            self.sent[client_id] = -1.0  # a retry's ack is not timed again

    async def request(self, frame: dict, ref: str) -> dict:
        waiter = asyncio.get_running_loop().create_future()
        self.waiters[ref] = waiter
        await self.ws.send(json.dumps({**frame, "ref": ref}))
        return await asyncio.wait_for(waiter, 30)

    async def subscribe(self, topic: str, since: int | None = None) -> None:
        if since is not None:
            self.last[topic] = since
        else:
            self.last.pop(topic, None)
        answer = await self.request({"type": "subscribe", "topic": topic, "since": since}, f"s-{topic}")
        if answer.get("type") != "subscribed":
            raise RuntimeError(f"subscribe {topic}: {answer}")
        if since is None:
            self.last[topic] = answer["head"]

    async def send_message(self, topic: str, client_id: str) -> None:
        now = time.perf_counter()
        self.sent.setdefault(client_id, now)
        # The body starts with the send time, so every receiver can time the delivery.
        body = f"{now:.6f} 第{client_id}条"
        await self.ws.send(
            json.dumps(
                {"type": "message.send", "topic": topic, "client_id": client_id, "body": body},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 2)
        self.reader.cancel()


async def connect(server: Server, user_id: int, world: World | None, **options) -> Client:
    from websockets.asyncio.client import connect as ws_connect
    from websockets.exceptions import InvalidHandshake

    platform = server.name == "platform"
    headers = {"Cookie": f"sessionid={world.cookies[user_id]}"} if platform and world else {}
    attempts = options.get("attempts", 3)
    for attempt in range(attempts):
        try:
            ws = await ws_connect(
                server.url,
                origin=f"http://127.0.0.1:{server.port}",
                additional_headers=headers,
                max_queue=options.get("max_queue"),
                compression=None,
                open_timeout=60,
                ping_interval=None,
            )
            break
        except (OSError, InvalidHandshake):
            # A server still busy with the previous figure's backlog may drop a handshake.
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(min(5.0, 0.5 * 2**attempt))  # the page's backoff, roughly
    if platform:
        first = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if first.get("type") != "subscribed":
            raise RuntimeError(f"handshake: {first}")
    return Client(ws, user_id, platform)


async def connect_all(server: Server, users: list[int], world: World | None, batch: int = 25) -> list[Client]:
    clients: list[Client] = []
    for index in range(0, len(users), batch):
        clients += await asyncio.gather(
            *(connect(server, u, world, attempts=8) for u in users[index : index + batch])
        )
    return clients


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def open_loop(senders: list[tuple[Client, str]], rate: float, seconds: float, tag: str) -> int:
    """Send `rate` messages a second for `seconds`, round-robin over (client, topic), on schedule
    (open loop: a slow server does not slow the senders down). Returns how many were sent."""
    total = int(rate * seconds)
    started = time.perf_counter()
    for index in range(total):
        client, topic = senders[index % len(senders)]
        if not client.reader.done():
            await client.send_message(topic, f"{tag}-{index}")
        delay = started + (index + 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    return total


async def settle(clients: list[Client], expected: int, timeout: float = 15.0) -> float:
    """Wait until `expected` deliveries (latencies recorded) arrived; returns when the last did."""
    deadline = time.perf_counter() + timeout
    while sum(len(c.latencies) for c in clients) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    return time.perf_counter()


def acked(clients: list[Client]) -> dict[str, tuple[int, int]]:
    answers: dict[str, tuple[int, int]] = {}
    for client in clients:
        answers.update(client.acks)
    return answers


# Scenarios --------------------------------------------------------------------------------------


async def fanout(
    server: Server, world: World, rate: int, seconds: float, tag: str, ready=lambda: None
) -> dict:
    """200 sockets (one per member) in one room; 20 of them send `rate` messages a second."""
    room_id, members = world.rooms["fanout"][0]
    topic = f"room:{room_id}"
    clients = await connect_all(server, members, world)
    if server.name == "platform":
        await asyncio.gather(*(c.subscribe(topic) for c in clients))
    senders = [(c, topic) for c in clients[:20]]
    ready()
    started = time.perf_counter()
    sent = await open_loop(senders, rate, seconds, tag)
    if server.name == "platform":
        # Deliveries expected: every acknowledged message, to every member.
        await asyncio.sleep(0.5)
        deadline = time.perf_counter() + 10
        while sum(len(c.acks) for c in clients) + sum(sum(c.errors.values()) for c in clients) < sent:
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.05)
        messages = len(acked(clients))
    else:
        messages = sent
    expected = messages * len(clients)
    ended = await settle(clients, expected)
    latencies = [x for c in clients for x in c.latencies]
    received = len(latencies)
    if server.name == "platform":
        # Exactly: every acknowledged message missing from a member's stream (acks may still
        # have been arriving when `expected` was counted).
        stored = {seq for _cid, (_id, seq) in acked(clients).items()}
        lost = sum(len(stored - c.got[topic]) for c in clients)
    else:
        lost = expected - received
    result = {
        "offered": rate * len(clients),
        "delivered_s": received / (ended - started),
        "p50": pct(latencies, 0.5),
        "p99": pct(latencies, 0.99),
        "lost": lost,
        "dup": sum(c.dups for c in clients),
        "errors": sum(sum(c.errors.values()) for c in clients),
        "acks_p99": pct([x for c in clients for x in c.ack_latencies], 0.99),
    }
    await asyncio.gather(*(c.close() for c in clients))
    return result


async def send_path(
    server: Server,
    world: World,
    rooms: list[tuple[int, list[int]]],
    rate: float,
    seconds: float,
    tag: str,
    ready=lambda: None,
) -> dict:
    """25 sockets per room (its 10 members, some with several tabs), `rate` messages a second in
    all, spread over every socket: the ack latency is the send path (store, commit, answer)."""
    clients: list[Client] = []
    senders: list[tuple[Client, str]] = []
    per_room: dict[str, list[Client]] = {}
    for room_id, members in rooms:
        topic = f"room:{room_id}"
        users = [members[i % len(members)] for i in range(25)]
        room_clients = await connect_all(server, users, world)
        await asyncio.gather(*(c.subscribe(topic) for c in room_clients))
        clients += room_clients
        per_room[topic] = room_clients
    # Interleave rooms so that each gets its share at every moment.
    for index in range(25):
        for topic, room_clients in per_room.items():
            senders.append((room_clients[index], topic))
    ready()
    before = batches(server)
    started = time.perf_counter()
    sent = await open_loop(senders, rate, seconds, tag)
    send_end = time.perf_counter()
    deadline = time.perf_counter() + 15
    while (
        sum(len(c.acks) + sum(c.errors.values()) for c in clients) < sent and time.perf_counter() < deadline
    ):
        await asyncio.sleep(0.05)
    answers = acked(clients)
    acks = [x for c in clients for x in c.ack_latencies]
    last_ack = max(c.last_ack_at for c in clients)
    expected = sum(len(per_room[t]) for t in per_room) * len(answers) // max(1, len(per_room))
    await settle(clients, expected, timeout=10)
    # Exactly: each acknowledged message of a room missing from one of the room's sockets.
    lost = 0
    for topic, room_clients in per_room.items():
        stored = {seq for _cid, (_id, seq) in acked(room_clients).items()}
        lost += sum(len(stored - c.got[topic]) for c in room_clients)
    after = batches(server)
    result = {
        "offered": rate,
        "accepted_s": len(answers) / (max(last_ack, send_end) - started),
        "ack_p50": pct(acks, 0.5),
        "ack_p99": pct(acks, 0.99),
        "ack_max": pct(acks, 1.0),
        "errors": sum(sum(c.errors.values()) for c in clients),
        "lost": lost,
        "dup": sum(c.dups for c in clients),
        "room_p99": [pct([x for c in cs for x in c.ack_latencies], 0.99) for cs in per_room.values()],
        "batch": (after[0] - before[0]) / max(1.0, after[1] - before[1]),
    }
    await asyncio.gather(*(c.close() for c in clients))
    return result


def insert_loop(database: str, seconds: float) -> dict:
    """The database's own pace: single-row INSERT and COMMIT in a loop, psycopg, no Django."""
    import psycopg

    with psycopg.connect(database, autocommit=False) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, room int, seq int, body text)"
        )
        conn.execute("TRUNCATE bench_insert")
        conn.commit()
        times = []
        started = time.perf_counter()
        seq = 0
        while time.perf_counter() - started < seconds:
            seq += 1
            t = time.perf_counter()
            conn.execute("INSERT INTO bench_insert (room, seq, body) VALUES (1, %s, %s)", [seq, "第一条消息"])
            conn.commit()
            times.append(time.perf_counter() - t)
        return {
            "per_s": seq / (time.perf_counter() - started),
            "p50": pct(times, 0.5),
            "p99": pct(times, 0.99),
        }


async def stalled(server: Server, world: World, seconds: float, stall: bool) -> dict:
    """§4: 200 members receiving 20,000 deliveries/s; one more socket that stops reading."""
    from websockets.asyncio.client import connect as ws_connect

    room_id, members = world.rooms["fanout"][0]
    topic = f"room:{room_id}"
    clients = await connect_all(server, members[:199], world)
    await asyncio.gather(*(c.subscribe(topic) for c in clients))
    stuck = None
    if stall:
        stuck = await ws_connect(
            server.url,
            origin=f"http://127.0.0.1:{server.port}",
            additional_headers={"Cookie": f"sessionid={world.cookies[members[199]]}"},
            max_queue=1,  # the client library stops reading the TCP stream at once
            compression=None,
            ping_interval=None,
        )
        await stuck.recv()
        await stuck.send(json.dumps({"type": "subscribe", "topic": topic, "ref": "s"}))
    rss_start = server.rss()
    peak = rss_start
    sampling = True

    async def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, server.rss())
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    senders = [(c, topic) for c in clients[:20]]
    sent = await open_loop(senders, 100, seconds, f"stall{int(stall)}{random.randrange(10**6)}")
    deadline = time.perf_counter() + 10
    while (
        sum(len(c.acks) + sum(c.errors.values()) for c in clients) < sent and time.perf_counter() < deadline
    ):
        await asyncio.sleep(0.05)
    messages = len(acked(clients))
    await settle(clients, messages * len(clients))
    sampling = False
    await sampler
    latencies = [x for c in clients for x in c.latencies]
    stored = {seq for _cid, (_id, seq) in acked(clients).items()}
    stuck_code = None
    if stuck is not None:
        stuck_code = stuck.close_code
        with contextlib.suppress(Exception):
            stuck.transport.abort()
    result = {
        "p99": pct(latencies, 0.99),
        "lost": sum(len(stored - c.got[topic]) for c in clients),
        "rss_growth_mb": (peak - rss_start) / 2**20,
        "stalled_closed": stuck_code,
    }
    await asyncio.gather(*(c.close() for c in clients))
    return result


async def storm(server: Server, world: World, seconds: float) -> dict:
    """§4: 500 sockets in 20 rooms, 5 messages a second per room; half the sockets drop and come
    back after 0-5 s with `since`; 5% of sends are sent again with the same client_id."""
    rooms = world.rooms["storm"]
    by_topic: dict[str, list[int]] = {f"room:{r}": members for r, members in rooms}
    clients: dict[int, Client] = {}
    topic_of: dict[int, str] = {}
    for topic, members in by_topic.items():
        for client in await connect_all(server, members, world):
            clients[client.user_id] = client
            topic_of[client.user_id] = topic
    await asyncio.gather(*(c.subscribe(topic_of[u]) for u, c in clients.items()))
    # Everything every socket of a user received, across reconnects.
    history: dict[int, list[Client]] = {u: [c] for u, c in clients.items()}
    catch_up: list[float] = []
    retries = 0
    sends = 0
    stop = asyncio.Event()

    async def room_sender(topic: str, members: list[int]) -> None:
        nonlocal retries, sends
        index = 0
        started = time.perf_counter()
        while not stop.is_set():
            user = members[index % len(members)]
            client = clients[user]
            client_id = f"storm-{topic}-{index}"
            if not client.reader.done():
                await client.send_message(topic, client_id)
                sends += 1
                if random.random() < 0.05:  # the ack was "lost": send it again, same client_id
                    retries += 1
                    await asyncio.sleep(random.uniform(0, 0.2))
                    if not client.reader.done():
                        await client.send_message(topic, client_id)
            index += 1
            delay = started + index / 5 - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    async def reconnect(user: int) -> None:
        old = clients[user]
        topic = topic_of[user]
        since = old.last.get(topic)
        unacked = [cid for cid, t in old.sent.items() if t >= 0 and cid not in old.acks]
        old.dropped = True
        old.ws.transport.abort()  # dropped, not closed: the network went away
        await asyncio.sleep(random.uniform(0, 5))
        # What the room had when this client came back: it has caught up once it has all of it.
        head = max(max(c.last.get(topic, 0) for c in history[u]) for u in by_topic[topic])
        began = time.perf_counter()
        fresh = await connect(server, user, world, attempts=8)
        history[user].append(fresh)
        await fresh.subscribe(topic, since=since)
        clients[user] = fresh
        for client_id in unacked:  # the page resends what was never acknowledged
            await fresh.send_message(topic, client_id)
        while fresh.last.get(topic, 0) < head and time.perf_counter() - began < 30:
            await asyncio.sleep(0.01)
        catch_up.append(time.perf_counter() - began)

    senders = [asyncio.create_task(room_sender(t, m)) for t, m in by_topic.items()]
    await asyncio.sleep(seconds / 3)
    dropped = [u for members in by_topic.values() for u in members[::2]]
    await asyncio.gather(*(reconnect(u) for u in dropped))
    await asyncio.sleep(seconds / 3)
    stop.set()
    await asyncio.gather(*senders)
    everyone = [c for cs in history.values() for c in cs]
    deadline = time.perf_counter() + 15
    while any(c.sent.get(cid, -1) >= 0 and cid not in c.acks for c in everyone for cid in list(c.sent)):
        if time.perf_counter() > deadline:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    answers = acked(everyone)
    lost = dup = 0
    for topic, members in by_topic.items():
        stored = {seq for cid, (_id, seq) in answers.items() if cid.startswith(f"storm-{topic}-")}
        for user in members:
            got: list[int] = []
            for client in history[user]:
                got += list(client.got[topic])
            lost += len(stored - set(got))
            dup += len(got) - len(set(got)) + sum(c.dups for c in history[user])
    mismatch = sum(c.ack_mismatch for c in everyone)
    result = {
        "sockets": len(clients),
        "dropped": len(dropped),
        "sends": sends,
        "retries": retries,
        "acked": len(answers),
        "lost": lost,
        "dup": dup,
        "ack_mismatch": mismatch,
        "catch_up_p50": pct(catch_up, 0.5),
        "catch_up_p99": pct(catch_up, 0.99),
        "errors": sum(sum(c.errors.values()) for c in everyone),
    }
    await asyncio.gather(*(c.close() for c in clients.values()))
    return result


async def idle(server: Server, world: World, count: int) -> dict:
    """§4: resident memory per idle (authenticated, for the platform) websocket."""
    before = server.rss()
    users = list(world.cookies)
    clients = await connect_all(server, [users[i % len(users)] for i in range(count)], world)
    await asyncio.sleep(2)
    after = server.rss()
    result = {"open": len(clients), "kb_per_socket": (after - before) / len(clients) / 1024}
    await asyncio.gather(*(c.close() for c in clients))
    return result


# Checks on what was stored ---------------------------------------------------------------------


def stored_check(world: World) -> dict:
    """Every room's messages are numbered 1..last_seq with no gap and no client_id twice; every
    topic's events are numbered 1..head."""
    from django.db import connection

    rooms = [room for rooms in world.rooms.values() for room, _members in rooms]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT r.id, r.last_seq, count(m.id), coalesce(max(m.seq), 0),
                      count(DISTINCT m.sender_id::text || chr(1) || m.client_id)
               FROM alliances_room r LEFT JOIN alliances_message m ON m.room_id = r.id
               WHERE r.id = ANY(%s) GROUP BY r.id, r.last_seq""",
            [rooms],
        )
        bad_rooms = [row for row in cursor.fetchall() if not (row[1] == row[2] == row[3] == row[4])]
        cursor.execute(
            """SELECT t.name, t.head, count(e.id), coalesce(max(e.seq), 0)
               FROM realtime_topic t LEFT JOIN realtime_event e ON e.topic_id = t.id
               WHERE t.name = ANY(%s) GROUP BY t.name, t.head""",
            [[f"room:{r}" for r in rooms]],
        )
        bad_topics = [row for row in cursor.fetchall() if not (row[1] == row[2] == row[3])]
        cursor.execute("SELECT count(*) FROM alliances_message WHERE room_id = ANY(%s)", [rooms])
        stored = cursor.fetchone()[0]
    return {"messages": stored, "rooms_with_gaps": bad_rooms, "topics_with_gaps": bad_topics}


# Profiling --------------------------------------------------------------------------------------


class Profiler:
    def __init__(self, directory: str | None) -> None:
        self.directory = Path(directory) if directory else None
        self.process: subprocess.Popen | None = None

    def start(self, server: Server, label: str) -> None:
        if self.directory is None:
            return
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.output = self.directory / f"{label}.txt"
        self.process = subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(server.process.pid),
                "--format",
                "raw",
                "--rate",
                "200",
                "--output",
                str(self.output),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(2)
        self.process.wait(30)
        self.process = None
        print(summarize(self.output), flush=True)


BOILERPLATE = (
    "threading.py",
    "concurrent/futures",
    "asgiref/sync.py",
    "<frozen runpy>",
    "asyncio/base_events.py",
    "asyncio/events.py",
    "asyncioreactor.py",
    "daphne/cli.py",
    "daphne/__main__.py",
    "daphne/server.py:",
    "channels/db.py",
)


def summarize(path: Path, top: int = 22) -> str:
    """Where the samples of a py-spy raw profile went: the share of samples in which a function
    was on the stack (inclusive, boilerplate frames left out), and the functions that were running
    (self time)."""
    inclusive: dict[str, int] = defaultdict(int)
    own: dict[str, int] = defaultdict(int)
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        weight = int(count)
        samples += weight
        frames = [frame for frame in stack.split(";") if frame]
        seen = set()
        for frame in frames:
            if any(part in frame for part in BOILERPLATE):
                continue
            name = frame.rsplit(":", 1)[0] + ")"
            if name not in seen:
                seen.add(name)
                inclusive[name] += weight
        if frames:
            own[frames[-1].rsplit(":", 1)[0] + ")"] += weight
    lines = [f"profile {path.name}: {samples} samples (inclusive share, then self share)"]
    for name, count in sorted(inclusive.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {100 * count / max(1, samples):5.1f}%  {name}")
    lines.append("  self:")
    for name, count in sorted(own.items(), key=lambda item: -item[1])[:12]:
        lines.append(f"  {100 * count / max(1, samples):5.1f}%  {name}")
    return "\n".join(lines)


# Reporting --------------------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:,.0f}") -> str:
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    median = statistics.median(values)
    if len(values) == 1:
        return fmt.format(median)
    return f"{fmt.format(median)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="sending time of each headline figure")
    parser.add_argument("--stall-seconds", type=float, default=60.0)
    parser.add_argument("--storm-seconds", type=float, default=18.0)
    parser.add_argument("--idle", type=int, default=2000, help="idle sockets for the memory figure")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated: " + ",".join(SCENARIOS))
    parser.add_argument("--profile", help="record py-spy profiles of the platform here")
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/bench_chat",
    )
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/14")
    parser.add_argument("--port", type=int, default=0, help="first of three ports (default: free ones)")
    parser.add_argument(
        "--platform-root",
        type=Path,
        default=ROOT,
        help="serve the platform from another checkout (say, the commit before a change) with this one's "
        "clients and baselines: before and after in one run",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    unknown = only - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    VAR.mkdir(exist_ok=True)
    began = time.perf_counter()
    ensure_database(args.database)
    secret = secrets.token_urlsafe(40)
    world = prepare(args.database, args.redis, secret)
    print(f"prepared in {time.perf_counter() - began:.0f} s", flush=True)
    ports = [args.port + i for i in range(3)] if args.port else [free_port() for _ in range(3)]
    env = {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Every bench socket comes from one address and many from one user, opened at once.
        "REALTIME_HANDSHAKES_PER_USER": "100000",
        "REALTIME_HANDSHAKES_PER_ADDRESS": "100000",
        "METRICS_ALLOW_FROM": "127.0.0.1/32",
        # A server that falls behind refuses sends past REALTIME_MAX_PENDING_FRAMES (counted as
        # errors in the figures); the socket is not closed for them as an abusive one would be.
        "REALTIME_MAX_ERRORS": "100000",
    }
    bare = start("bare", [sys.executable, "-m", "bench.baseline_bare", str(ports[0])], env, ports[0])
    hub = daphne("bench.baseline_hub:application", ports[1], env, "hub")
    platform = daphne("platform_core.asgi:application", ports[2], env, "platform", args.platform_root)
    servers = [bare, hub, platform]
    profiler = Profiler(args.profile)
    results: dict[tuple[str, str], list[dict]] = defaultdict(list)
    once: dict[str, dict] = {}

    failures: list[str] = []

    def run(coroutine, label: str = "") -> dict:
        try:
            return asyncio.run(coroutine)
        except Exception as error:  # one failed figure must not lose the others
            failures.append(f"{label or coroutine.__name__}: {type(error).__name__}: {error}")
            print(f"FAILED {failures[-1]}", flush=True)
            return {}

    try:
        for repeat in range(args.repeats):
            tag = f"r{repeat}{random.randrange(10**6)}"
            if "send" in only:
                results[("platform", "send")].append(
                    run(
                        send_path(
                            platform,
                            world,
                            world.rooms["send"],
                            250,
                            args.seconds,
                            f"s{tag}",
                            ready=lambda: profiler.start(platform, f"send-{repeat}"),  # noqa: B023
                        )
                    )
                )
                profiler.stop()
            if "rooms" in only:
                results[("platform", "rooms")].append(
                    run(
                        send_path(
                            platform,
                            world,
                            world.rooms["rooms"],
                            250,
                            args.seconds,
                            f"m{tag}",
                            ready=lambda: profiler.start(platform, f"rooms-{repeat}"),  # noqa: B023
                        )
                    )
                )
                profiler.stop()
            if "fanout" in only:
                for rate in (100, 150):
                    for server in servers:

                        def ready(server=server, rate=rate) -> None:
                            profiler.start(server, f"fanout{rate}-{repeat}")  # noqa: B023

                        row = run(
                            fanout(server, world, rate, args.seconds, f"f{rate}{tag}", ready), server.name
                        )
                        if row:
                            results[(server.name, f"fanout{rate}")].append(row)
                        profiler.stop()
            if "insert" in only:
                results[("insert", "insert")].append(insert_loop(args.database, 3))
            print(f"repeat {repeat + 1} done at {time.perf_counter() - began:.0f} s", flush=True)
        if "stall" in only:
            once["without"] = run(
                stalled(platform, world, args.stall_seconds, stall=False), "stall (without)"
            )
            once["stalled"] = run(stalled(platform, world, args.stall_seconds, stall=True), "stall")
        if "storm" in only:
            once["storm"] = run(storm(platform, world, args.storm_seconds), "storm")
        if "idle" in only:
            # Fresh processes: memory freed by the figures above would be reused, not grown.
            fresh = [free_port() for _ in range(2)]
            idle_bare = start(
                "bare-idle", [sys.executable, "-m", "bench.baseline_bare", str(fresh[0])], env, fresh[0]
            )
            idle_platform = daphne("platform_core.asgi:application", fresh[1], env, "platform-idle")
            idle_platform.name = "platform"
            servers += [idle_bare, idle_platform]
            once["idle_bare"] = run(idle(idle_bare, world, args.idle), "idle bare")
            once["idle_platform"] = run(idle(idle_platform, world, args.idle), "idle platform")
        check = stored_check(world)
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(10)
            except subprocess.TimeoutExpired:
                server.process.kill()
    report(results, once, check, args, time.perf_counter() - began, failures)


def column(rows: list[dict], key: str, fmt: str = "{:.1f}") -> str:
    return spread([row[key] for row in rows], fmt)


def total(rows: list[dict], key: str) -> int:
    return sum(row[key] for row in rows)


def report(results, once, check, args, elapsed: float, failures: list[str]) -> None:
    results = {key: [row for row in rows if row] for key, rows in results.items()}
    results = {key: rows for key, rows in results.items() if rows}
    once = {key: row for key, row in once.items() if row}
    load = os.getloadavg()
    print(
        f"\nChat benchmark: one process per server, {os.cpu_count()} CPUs, load average "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}; median (min-max) of {args.repeats}, "
        f"{args.seconds:g} s of sending each\n"
    )
    rows = results.get(("platform", "send"), [])
    if rows:
        print("1. Send path: one room of 10 members, 25 sockets, 250 msg/s offered (10/s per socket)")
        print(
            f"   accepted/s {column(rows, 'accepted_s', '{:,.0f}')}   ack p50 ms {column(rows, 'ack_p50')}"
            f"   ack p99 ms {column(rows, 'ack_p99')}   messages per transaction {column(rows, 'batch')}"
            f"   errors {total(rows, 'errors')}"
            f"   lost {total(rows, 'lost')}   dup {total(rows, 'dup')}   [goal: >= 250/s, p99 < 50 ms]"
        )
    rows = results.get(("platform", "rooms"), [])
    if rows:
        slowest = spread([max(row["room_p99"]) for row in rows], "{:.1f}")
        fastest = spread([min(row["room_p99"]) for row in rows], "{:.1f}")
        print("   Ten such rooms at once, 250 msg/s in all (25/s per room)")
        print(
            f"   accepted/s {column(rows, 'accepted_s', '{:,.0f}')}   ack p99 ms {column(rows, 'ack_p99')}"
            f"   per room's ack p99: slowest {slowest}, fastest {fastest}"
            f"   messages per transaction {column(rows, 'batch')}   errors {total(rows, 'errors')}"
            f"   lost {total(rows, 'lost')}   dup {total(rows, 'dup')}"
        )
    rows = results.get(("insert", "insert"), [])
    if rows:
        print(
            f"   plain psycopg INSERT+COMMIT loop: {column(rows, 'per_s', '{:,.0f}')}/s, "
            f"p50 {column(rows, 'p50', '{:.2f}')} ms, p99 {column(rows, 'p99', '{:.2f}')} ms"
        )
    for rate in (100, 150):
        if ("platform", f"fanout{rate}") not in results or ("hub", f"fanout{rate}") not in results:
            continue
        print(
            f"\n   Fan-out: 200 sockets in one room, 20 of them sending {rate} msg/s in all "
            f"({rate * 200:,} deliveries/s offered)"
        )
        print(f"   {'server':10} {'delivered/s':>24} {'p50 ms':>22} {'p99 ms':>22} {'late':>6} {'dup':>5}")
        for name in ("bare", "hub", "platform"):
            rows = results.get((name, f"fanout{rate}"), [])
            print(
                f"   {name:10} {column(rows, 'delivered_s', '{:,.0f}'):>24} {column(rows, 'p50'):>22} "
                f"{column(rows, 'p99'):>22} {total(rows, 'lost'):>6} {total(rows, 'dup'):>5}"
            )
        hub_p99 = statistics.median([r["p99"] for r in results[("hub", f"fanout{rate}")]])
        platform_rows = results[("platform", f"fanout{rate}")]
        platform_p99 = statistics.median([r["p99"] for r in platform_rows])
        print(
            f"   platform p99 / hub p99 = {platform_p99 / hub_p99:.2f} [goal: <= 2]; "
            f"platform ack p99 {column(platform_rows, 'acks_p99')} ms"
        )
    if "without" in once and "stalled" in once:
        a, b = once["without"], once["stalled"]
        print(f"\n4. One stalled socket among 200 at 20,000 deliveries/s for {args.stall_seconds:g} s")
        print(
            f"   others' p99 {b['p99']:.1f} ms with it, {a['p99']:.1f} ms without "
            f"({b['p99'] / a['p99']:.2f}x); server memory growth {b['rss_growth_mb']:.1f} MB with it, "
            f"{a['rss_growth_mb']:.1f} MB without; the stalled socket "
            + (
                f"was closed with {b['stalled_closed']}"
                if b["stalled_closed"]
                else "stayed open (under REALTIME_MAX_UNACKED_BYTES)"
            )
            + f"; lost {a['lost']} without, {b['lost']} with it"
        )
    if "storm" in once:
        s = once["storm"]
        print(
            f"   Storm: {s['sockets']} sockets in 20 rooms, 5 msg/s per room, {s['dropped']} dropped and "
            f"back after 0-5 s with since; {s['retries']} of {s['sends']} sends sent twice (same client_id)"
        )
        print(
            f"   acked {s['acked']}, lost {s['lost']}, dup {s['dup']}, a retry answered differently "
            f"{s['ack_mismatch']}, catch-up p50 {s['catch_up_p50']:.0f} ms, p99 {s['catch_up_p99']:.0f} ms, "
            f"errors {s['errors']}"
        )
    if "idle_platform" in once:
        p, b = once["idle_platform"], once["idle_bare"]
        print(
            f"   Idle sockets, {p['open']:,} open: platform {p['kb_per_socket']:.1f} kB each (signed in, "
            f"on its user topic), bare server {b['kb_per_socket']:.1f} kB each "
            f"({p['kb_per_socket'] / max(0.1, b['kb_per_socket']):.1f}x)"
        )
    print(
        f"\n   Stored: {check['messages']:,} messages; rooms with a gap or a client_id used twice: "
        f"{len(check['rooms_with_gaps'])}; topics with a gap: {len(check['topics_with_gaps'])}"
    )
    for failure in failures:
        print(f"   FAILED {failure}")
    print(f"   ran in {elapsed / 60:.1f} min")


if __name__ == "__main__":
    if sys.argv[1:2] == ["summarize"]:
        for name in sys.argv[2:]:
            print(summarize(Path(name)))
    else:
        main()
