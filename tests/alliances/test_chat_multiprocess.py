"""Two real daphne processes sharing PostgreSQL and Redis: members connected to different
processes chat with each other, presence included."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from tests.alliances.conftest import make_team
from tests.realtime.test_multiprocess_redis import open_ws
from tests.servers import daphne
from tests.ws import session_cookie


async def frame_where(ws, predicate) -> dict:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await ws.recv())
            if predicate(frame):
                return frame


@pytest.mark.postgres
@pytest.mark.redis
def test_members_on_two_processes_chat_with_each_other(require_postgres, require_redis, tcast):
    world = make_team(tcast)  # `member` (unit A) leads, leader2 (unit B) is in it
    topic = world.room.topic
    cookies = {"member": session_cookie(tcast.member), "leader2": session_cookie(tcast.leader2)}

    with daphne() as process_a, daphne() as process_b:

        async def scenario():
            async with contextlib.AsyncExitStack() as stack:
                member = await open_ws(process_a, cookies["member"])
                stack.push_async_callback(member.close)
                colleague = await open_ws(process_b, cookies["leader2"])
                stack.push_async_callback(colleague.close)
                for ws in (member, colleague):
                    await ws.send(json.dumps({"type": "subscribe", "topic": topic, "ref": "s"}))
                    await frame_where(ws, lambda f: f["type"] == "subscribed" and f["topic"] == topic)
                    await ws.send(json.dumps({"type": "presence", "topic": topic, "ref": "p"}))
                # Presence is shared through Redis: the second answer names both.
                online = await frame_where(colleague, lambda f: f["type"] == "ack" and f.get("ref") == "p")
                assert {p["id"] for p in online["online"]} == {tcast.member.pk, tcast.leader2.pk}

                for sender, receiver, client_id in ((member, colleague, "a-1"), (colleague, member, "b-1")):
                    frame = {"type": "message.send", "topic": topic, "client_id": client_id, "body": "跨进程"}
                    await sender.send(json.dumps(frame))
                    ack = await frame_where(
                        sender,
                        lambda f, expected=client_id: f["type"] == "ack" and f.get("client_id") == expected,
                    )
                    event = await frame_where(
                        receiver, lambda f: f["type"] == "event" and f["topic"] == topic
                    )
                    assert event["event"] == "message.created" and event["data"]["id"] == ack["id"]

        asyncio.run(scenario())
