"""Backpressure against a real daphne: a raw TCP client that stops reading, among clients that
read. daphne hands every frame to Twisted, whose write buffer has no limit, and the ASGI `send`
returns at once, so without the platform's own bound the process grows by everything published
to the stalled socket (docs/realtime.md, "Backpressure")."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import threading
import time

import pytest
from django.conf import settings
from django.db import transaction
from websockets.asyncio.client import connect

from platform_core.realtime.services import emit
from tests.servers import daphne_server
from tests.ws import session_cookie

pytestmark = [pytest.mark.redis]

EVENTS = 2000
PAD = 20_000  # bytes of payload per event: 40 MB published in all
WINDOW = 1_000_000  # REALTIME_MAX_UNACKED_BYTES of the daphne under test


def masked_text_frame(text: str) -> bytes:
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    assert len(payload) < 126
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


class StalledClient:
    """A websocket client on a raw socket with a tiny receive buffer, that reads its handshake
    and its first answers, then stops reading."""

    def __init__(self, base: str, cookie: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /ws/ HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {base}\r\n"
            f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.seen = b""
        self.read_until(b"\r\n\r\n")
        assert self.seen.startswith(b"HTTP/1.1 101"), self.seen[:200]

    def read_until(self, marker: bytes, timeout: float = 5) -> None:
        self.sock.settimeout(timeout)
        while marker not in self.seen:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed early")
            self.seen += chunk

    def subscribe(self, topic: str) -> None:
        self.sock.sendall(masked_text_frame(json.dumps({"type": "subscribe", "topic": topic, "ref": "s"})))
        self.read_until(f'"topic":"{topic}","ref":"s"'.encode())

    def read_again(self, timeout: float) -> tuple[int, bool]:
        """Read again: the bytes that still reach the client, and whether the server dropped it
        (False: still open, and silent for `timeout` seconds)."""
        total = 0
        self.sock.settimeout(timeout)
        try:
            while chunk := self.sock.recv(1 << 20):
                total += len(chunk)
        except ConnectionResetError:
            pass
        except TimeoutError:
            return total, False
        return total, True


class PeakRss:
    """Samples the server's resident memory in a thread; stop() answers the peak growth."""

    def __init__(self, server) -> None:
        self.server = server
        self.start = self.peak = server.rss_bytes()
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.server.rss_bytes())
            time.sleep(0.02)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak - self.start


async def read_all(ws, topic: str, count: int) -> list[int]:
    """Read like the page does: acknowledge every 32 frames."""
    seqs: list[int] = []
    received = 0
    while len(seqs) < count:
        frame = json.loads(await ws.recv())
        received += 1
        if received % 32 == 0:
            await ws.send(json.dumps({"type": "ack", "received": received}))
        if frame["type"] == "event" and frame["topic"] == topic:
            seqs.append(frame["seq"])
    return seqs


def publish(topic: str) -> None:
    for start in range(0, EVENTS, 100):
        with transaction.atomic():
            for index in range(start, start + 100):
                emit(topic, "test.bulk", {"n": index, "pad": "x" * PAD})


def test_a_stalled_client_is_closed_with_bounded_memory_and_readers_keep_up(require_redis, tcast):
    topic = tcast.studio1.topic
    stalled_cookie = session_cookie(tcast.member)
    reader_cookies = [session_cookie(tcast.leader1), session_cookie(tcast.admin)]
    env = {"REALTIME_MAX_UNACKED_BYTES": str(WINDOW)}
    with daphne_server(**env) as server:
        stalled = StalledClient(server.base, stalled_cookie)
        try:
            stalled.subscribe(topic)

            async def scenario() -> tuple[list[list[int]], float, int]:
                url = server.base.replace("http", "ws") + "/ws/"
                async with contextlib.AsyncExitStack() as stack:
                    readers = []
                    for cookie in reader_cookies:
                        ws = await stack.enter_async_context(
                            connect(
                                url,
                                origin=server.base,
                                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
                                max_size=None,
                            )
                        )
                        await ws.recv()  # its user topic
                        await ws.send(json.dumps({"type": "subscribe", "topic": topic, "ref": "r"}))
                        assert json.loads(await ws.recv())["type"] == "subscribed"
                        readers.append(ws)
                    rss = PeakRss(server)
                    reading = [asyncio.create_task(read_all(ws, topic, EVENTS)) for ws in readers]
                    await asyncio.to_thread(publish, topic)
                    published_at = time.monotonic()
                    seqs = await asyncio.wait_for(asyncio.gather(*reading), timeout=60)
                    lag = time.monotonic() - published_at
                    await asyncio.sleep(1.5)  # the server's close handshake timeout (1 s) passes
                    return seqs, lag, rss.stop()

            seqs, lag, growth = asyncio.run(scenario())
            late_bytes, dropped = stalled.read_again(timeout=5)
        finally:
            stalled.sock.close()

    print(f"peak growth {growth / 1e6:.1f} MB, reader lag {lag:.2f} s, {late_bytes} late bytes, {dropped=}")
    expected = list(range(1, EVENTS + 1))
    assert seqs == [expected, expected], "every reader got every event, in order"
    assert lag < 3, f"readers finished {lag:.1f} s after the last publish"
    # Without the bound the process holds all 40 MB for the stalled socket until it goes away.
    assert growth < 12 * 1024 * 1024, f"daphne grew by {growth / 1e6:.1f} MB"
    # The stalled client was dropped: what still reached it is about the window, not 40 MB.
    assert dropped
    assert late_bytes < 4 * WINDOW, f"{late_bytes} bytes reached the stalled client"
