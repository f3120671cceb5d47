"""A daphne process holding a chat backlog stops within seconds of SIGTERM (systemd's stop and
restart), rather than working through the backlog first: sends not yet acknowledged are not
accepted, and the clients send them again, with the same client_id, after reconnecting."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import time

import pytest
from django.conf import settings
from websockets.asyncio.client import connect

from alliances.models import Message
from tests.alliances.conftest import make_team
from tests.servers import daphne_server
from tests.ws import session_cookie

pytestmark = [pytest.mark.postgres]

STOPS_WITHIN_SECONDS = 8


def test_a_process_with_a_chat_backlog_stops_within_seconds_of_sigterm(require_postgres, tcast):
    world = make_team(tcast)
    topic = world.room.topic
    cookie = session_cookie(tcast.member)
    # The benchmark's way to flood: the per-connection limits raised through their settings.
    with daphne_server(
        REALTIME_RATE="100000",
        REALTIME_BURST="100000",
        REALTIME_MAX_PENDING_FRAMES="100000",
        REALTIME_MAX_ERRORS="100000",
    ) as server:

        async def flood_then_stop() -> None:
            ws = await connect(
                server.base.replace("http", "ws") + "/ws/",
                origin=server.base,
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
                max_queue=None,
            )
            await ws.recv()  # subscribed to its user topic
            await ws.send(json.dumps({"type": "subscribe", "topic": topic, "ref": "s"}))
            for n in range(1500):
                frame = {"type": "message.send", "topic": topic, "client_id": f"b-{n}", "body": f"积压 {n}"}
                await ws.send(json.dumps(frame))
            acked = 0
            async with asyncio.timeout(30):
                while acked < 5:
                    got = json.loads(await ws.recv())
                    if got.get("type") == "ack":
                        acked += 1
            await ws.close()

        asyncio.run(flood_then_stop())
        server.process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=60)
        took = time.monotonic() - started
    stored = Message.objects.filter(room=world.room, client_id__startswith="b-").count()
    # There was a backlog to abandon, and the process did not work through it before stopping.
    assert stored < 1500, "no backlog was built: the test proves nothing"
    assert took < STOPS_WITHIN_SECONDS, (
        f"stopped {took:.1f} s after SIGTERM with {1500 - stored} sends queued"
    )
