"""PostgreSQL stopped under a running platform: 503 pages and API answers, an error frame on the
socket, never a 500 or a hang; and the platform recovers by itself when the database is back."""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect

from tests.faults import new_session, own_postgres, production_env
from tests.servers import daphne_server

pytestmark = [pytest.mark.postgres]

# A page must answer within the pool's wait for a connection plus a margin, never hang.
POOL_TIMEOUT = 3
ANSWER_WITHIN = POOL_TIMEOUT + 4


def get(base: str, path: str, cookie: str) -> tuple[int, str, float, str]:
    address = urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, body, time.monotonic() - started, response.getheader("Content-Type", "")
    finally:
        conn.close()


def test_a_database_outage_answers_503_fast_and_the_platform_recovers(require_postgres, tmp_path):
    with own_postgres() as database:
        env = production_env(
            tmp_path / "static",
            DATABASE_URL=database.url,
            DB_POOL_MAX_SIZE="4",
            DB_POOL_TIMEOUT=str(POOL_TIMEOUT),
            REDIS_URL="",
        )
        cookie = new_session(database.url, "worker", env["SECRET_KEY"])
        with daphne_server(**env) as server:
            base = server.base
            assert get(base, "/", cookie)[0] == 200
            assert get(base, "/api/v1/me/", cookie)[0] == 200

            async def open_socket():
                ws = await connect(
                    base.replace("http", "ws") + "/ws/",
                    origin=base,
                    additional_headers={"Cookie": f"sessionid={cookie}"},
                )
                hello = json.loads(await ws.recv())
                assert hello["type"] == "subscribed"
                return ws

            async def during_outage(ws) -> dict:
                # Subscribing asks the database who may follow the topic.
                await ws.send(json.dumps({"type": "subscribe", "topic": "studio:1", "ref": "during"}))
                async with asyncio.timeout(ANSWER_WITHIN + 10):
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame.get("ref") == "during":
                            return frame

            async def scenario():
                ws = await open_socket()
                try:
                    database.stop()
                    answers = [get(base, path, cookie) for path in ("/", "/api/v1/me/", "/challenges/", "/")]
                    frame = await during_outage(ws)
                finally:
                    await ws.close()
                return answers, frame

            answers, frame = asyncio.run(scenario())
            for status, body, seconds, _content_type in answers:
                assert status == 503, body[:500]
                assert seconds < ANSWER_WITHIN, seconds
            assert "Temporarily unavailable" in answers[0][1]
            # The API answers in its one error format.
            assert answers[1][3].startswith("application/json"), answers[1]
            assert "detail" in json.loads(answers[1][1])
            assert frame["type"] == "error", frame

            database.start()
            deadline = time.monotonic() + 30
            while True:
                status = get(base, "/", cookie)[0]
                if status == 200:
                    break
                assert status == 503
                assert time.monotonic() < deadline, "the platform did not recover"
                time.sleep(0.5)
            assert get(base, "/api/v1/me/", cookie)[0] == 200
