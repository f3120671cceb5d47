"""Chat across real processes while things fail: a process killed with SIGKILL, Redis restarted.

Nothing acknowledged is lost or stored twice, live delivery resumes by itself, and a client that
reconnects (to any process) replays what it missed. The Redis here is the test's own
(tests/faults.py); PostgreSQL is the test database, shared with the daphne processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal

import pytest
from django.conf import settings
from websockets.asyncio.client import connect

from alliances.models import Message
from tests.alliances.conftest import make_team
from tests.faults import own_redis
from tests.servers import daphne, daphne_server
from tests.ws import session_cookie

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class ChatClient:
    """One browser tab: a socket, the room's events seen (by seq), and acknowledged sends."""

    def __init__(self, base: str, cookie: str, topic: str) -> None:
        self.base = base
        self.cookie = cookie
        self.topic = topic
        self.ws = None
        self.seen: dict[int, dict] = {}
        self.acked: dict[str, int] = {}

    async def open(self, base: str | None = None) -> None:
        self.base = base or self.base
        self.ws = await connect(
            self.base.replace("http", "ws") + "/ws/",
            origin=self.base,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}"},
        )
        await self._until(lambda f: f["type"] == "subscribed" and f["topic"].startswith("user:"))
        since = max(self.seen) if self.seen else None
        await self.ws.send(json.dumps({"type": "subscribe", "topic": self.topic, "since": since, "ref": "s"}))
        await self._until(lambda f: f["type"] == "subscribed" and f.get("topic") == self.topic)

    async def _until(self, predicate, timeout: float = 15) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.ws.recv())
                self._note(frame)
                if predicate(frame):
                    return frame

    def _note(self, frame: dict) -> None:
        if frame.get("type") == "event" and frame.get("topic") == self.topic:
            assert frame["seq"] not in self.seen, f"event {frame['seq']} delivered twice"
            self.seen[frame["seq"]] = frame
        elif frame.get("type") == "ack" and frame.get("client_id"):
            self.acked[frame["client_id"]] = frame["id"]

    async def send(self, client_id: str, body: str) -> int:
        frame = {"type": "message.send", "topic": self.topic, "client_id": client_id, "body": body}
        await self.ws.send(json.dumps(frame))
        ack = await self._until(lambda f: f.get("client_id") == client_id and f["type"] in {"ack", "error"})
        assert ack["type"] == "ack", ack
        return ack["id"]

    async def wait_for_messages(self, ids: set[int], timeout: float = 15) -> None:
        def has_all(_frame) -> bool:
            return ids <= self.message_ids()

        if not has_all(None):
            await self._until(has_all, timeout=timeout)

    def message_ids(self) -> set[int]:
        return {f["data"]["id"] for f in self.seen.values() if f["event"] == "message.created"}

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()


def stored_once(room, client_ids: set[str]) -> None:
    rows = list(
        Message.objects.filter(room=room, client_id__in=client_ids).values_list("client_id", flat=True)
    )
    assert sorted(rows) == sorted(client_ids), "an acknowledged message was lost or stored twice"


def test_a_process_killed_mid_chat_loses_nothing_acknowledged(require_postgres, require_redis, tcast):
    world = make_team(tcast)
    topic = world.room.topic
    cookies = {"member": session_cookie(tcast.member), "leader2": session_cookie(tcast.leader2)}

    with (
        own_redis() as redis,
        daphne_server(REDIS_URL=redis.url) as process_a,
        daphne(REDIS_URL=redis.url) as base_b,
    ):
        base_a = process_a.base

        async def scenario() -> tuple[ChatClient, ChatClient]:
            sender = ChatClient(base_a, cookies["member"], topic)
            reader = ChatClient(base_b, cookies["leader2"], topic)
            try:
                await sender.open()
                await reader.open()
                before = {await sender.send(f"k-{n}", f"击杀前 {n}") for n in range(5)}
                await reader.wait_for_messages(before)

                # Process A dies with no chance to clean up; its socket drops.
                os.kill(process_a.process.pid, signal.SIGKILL)
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(10):
                        while True:
                            await sender.ws.recv()
                # The tab reconnects to the process left, resubscribing from the last seq it saw.
                await sender.open(base_b)
                after = {await sender.send(f"k-{n}", f"击杀后 {n}") for n in range(5, 10)}
                # A retry of a send acknowledged before the kill makes no second message.
                assert await sender.send("k-4", "击杀前 4") in before
                await reader.wait_for_messages(before | after)
                await sender.wait_for_messages(before | after)
                return sender, reader
            finally:
                await sender.close()
                await reader.close()

        sender, reader = asyncio.run(scenario())
    stored_once(world.room, {f"k-{n}" for n in range(10)})
    assert sender.message_ids() == reader.message_ids()
    assert len(reader.message_ids()) == 10


def test_a_redis_restart_mid_chat_loses_nothing_and_live_delivery_resumes(
    require_postgres, require_redis, tcast
):
    world = make_team(tcast)
    topic = world.room.topic
    cookies = {"member": session_cookie(tcast.member), "leader2": session_cookie(tcast.leader2)}

    with own_redis() as redis, daphne(REDIS_URL=redis.url) as base_a, daphne(REDIS_URL=redis.url) as base_b:

        async def scenario() -> tuple[ChatClient, ChatClient, float]:
            sender = ChatClient(base_a, cookies["member"], topic)
            reader = ChatClient(base_b, cookies["leader2"], topic)
            try:
                await sender.open()
                await reader.open()
                before = {await sender.send(f"r-{n}", f"重启前 {n}") for n in range(3)}
                await reader.wait_for_messages(before)

                redis.stop()
                # Sends are stored (and acknowledged) while Redis is down.
                during = {await sender.send(f"r-{n}", f"重启中 {n}") for n in range(3, 6)}
                redis.start()

                # Live delivery resumes by itself within seconds: keep sending until one
                # arrives live, and everything before it is filled in from the database.
                loop = asyncio.get_running_loop()
                restarted = loop.time()
                after: set[int] = set()
                for n in range(6, 40):
                    after.add(await sender.send(f"r-{n}", f"重启后 {n}"))
                    with contextlib.suppress(TimeoutError):
                        await reader.wait_for_messages(before | during | after, timeout=1)
                        break
                else:
                    raise AssertionError("live delivery did not resume")
                return sender, reader, loop.time() - restarted
            finally:
                await sender.close()
                await reader.close()

        sender, reader, resumed_after = asyncio.run(scenario())
    sent = reader.message_ids()
    stored_once(world.room, set(sender.acked))
    assert set(sender.acked.values()) == sent
    assert resumed_after < 20, resumed_after
