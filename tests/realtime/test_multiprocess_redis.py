"""Two real daphne processes sharing PostgreSQL and Redis deliver each other's events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.request

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.servers import daphne
from tests.ws import session_cookie


def api(base: str, method: str, path: str, token: str, body: dict | None = None) -> int:
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


async def open_ws(base: str, cookie: str):
    ws = await connect(
        base.replace("http", "ws") + "/ws/",
        origin=base,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )
    hello = json.loads(await ws.recv())
    assert hello["type"] == "subscribed" and hello["topic"].startswith("user:")
    return ws


async def next_event(ws, topic: str) -> dict:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "event" and frame["topic"] == topic:
                return frame


@pytest.mark.postgres
@pytest.mark.redis
def test_two_processes_sharing_redis_deliver_each_others_events(require_postgres, require_redis, tcast):
    token = Token.objects.create(user=tcast.leader1).key
    member_cookie = session_cookie(tcast.member)
    leader_cookie = session_cookie(tcast.leader1)
    topic = tcast.studio1.topic
    studio_id = tcast.studio1.pk
    expert_id = tcast.expert.pk

    with daphne() as process_a, daphne() as process_b:

        async def scenario():
            async with contextlib.AsyncExitStack() as stack:
                await exchange(stack)

        async def exchange(stack: contextlib.AsyncExitStack):
            # Every socket opened here is closed by the stack, whatever happens.
            member_ws = await open_ws(process_a, member_cookie)  # on process A
            stack.push_async_callback(member_ws.close)
            leader_ws = await open_ws(process_b, leader_cookie)  # on process B
            stack.push_async_callback(leader_ws.close)
            for ws in (member_ws, leader_ws):
                await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since": 0, "ref": "s"}))
                assert json.loads(await ws.recv())["type"] == "subscribed"

            # A write handled by process B reaches the socket on process A, and B's own socket.
            status = await asyncio.to_thread(
                api, process_b, "POST", f"/api/v1/studios/{studio_id}/members/", token, {"user_id": expert_id}
            )
            assert status == 201
            for ws in (member_ws, leader_ws):
                frame = await next_event(ws, topic)
                assert (frame["seq"], frame["event"]) == (1, "studio.member_added")
                assert frame["data"]["member"]["user_id"] == expert_id

            # And the other way round.
            status = await asyncio.to_thread(
                api, process_a, "DELETE", f"/api/v1/studios/{studio_id}/members/{expert_id}/", token
            )
            assert status == 204
            for ws in (member_ws, leader_ws):
                frame = await next_event(ws, topic)
                assert (frame["seq"], frame["event"]) == (2, "studio.member_removed")

            # A client of process A that was away resubscribes with since and misses nothing.
            await member_ws.close()
            late_ws = await open_ws(process_b, member_cookie)
            stack.push_async_callback(late_ws.close)
            await late_ws.send(json.dumps({"type": "subscribe", "topic": topic, "since": 0, "ref": "late"}))
            assert json.loads(await late_ws.recv())["head"] == 2
            assert [(await next_event(late_ws, topic))["seq"] for _ in range(2)] == [1, 2]

        asyncio.run(scenario())


def test_real_daphne_refuses_anonymous_and_foreign_origin_handshakes(tcast):
    cookie = session_cookie(tcast.member)
    with daphne() as base:

        async def scenario():
            url = base.replace("http", "ws") + "/ws/"
            with pytest.raises(InvalidStatus) as anonymous:
                await connect(url, origin=base)
            assert anonymous.value.response.status_code == 403
            with pytest.raises(InvalidStatus) as foreign:
                await connect(
                    url,
                    origin="http://evil.example.com",
                    additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
                )
            assert foreign.value.response.status_code == 403
            ws = await open_ws(base, cookie)
            try:
                await ws.send(json.dumps({"type": "ping", "ref": 1}))
                assert json.loads(await ws.recv()) == {"type": "pong", "ref": 1}
            finally:
                await ws.close()

        asyncio.run(scenario())
