"""A client that stops reading is closed before the server holds more than a bounded amount for
it; clients that read and acknowledge are not affected (docs/realtime.md, "Backpressure")."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from platform_core.realtime.services import emit

pytestmark = [pytest.mark.django_db(transaction=True)]

CLOSE_TOO_FAR_BEHIND = 4010


@database_sync_to_async
def emit_padded(topic: str, count: int, size: int) -> None:
    for index in range(count):
        emit(topic, "test.bulk", {"n": index, "pad": "x" * size})


async def read_until_closed(socket) -> tuple[list[dict], int]:
    frames = []
    while True:
        output = await socket.communicator.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            return frames, output["code"]
        frames.append(json.loads(output["text"]))


async def test_a_client_that_stops_acknowledging_is_closed_and_the_others_are_not(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "MAX_UNACKED_BYTES": 20_000}
    topic = tcast.studio1.topic
    stalled = await sockets.open(tcast.member)
    reader = await sockets.open(tcast.leader1)
    await stalled.subscribe(topic)
    await reader.subscribe(topic)
    received = 2  # the automatic `subscribed` of the user topic, and this one
    seqs = []
    for _ in range(4):
        await emit_padded(topic, 10, 1000)
        for _ in range(10):
            seqs.append((await reader.receive())["seq"])
            received += 1
        await reader.send({"type": "ack", "received": received})
    assert seqs == list(range(1, 41))

    frames, code = await read_until_closed(stalled)
    assert code == CLOSE_TOO_FAR_BEHIND
    # Closed as soon as what it had not acknowledged passed 20 kB: about 20 events of 1 kB.
    assert 15 <= len([frame for frame in frames if frame["type"] == "event"]) <= 21
    await reader.send({"type": "ping", "ref": "alive"})
    assert await reader.receive() == {"type": "pong", "ref": "alive"}


async def test_acknowledging_frees_the_window(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "MAX_UNACKED_BYTES": 5_000}
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic)
    received = 2
    for _ in range(10):  # ten times what the window holds, one event at a time
        await emit_padded(topic, 1, 2000)
        assert (await socket.receive())["type"] == "event"
        received += 1
        await socket.send({"type": "ack", "received": received})
    assert await socket.nothing_more()


async def test_acknowledgements_are_not_rate_limited_and_must_be_plausible(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "RATE": 1, "BURST": 1}
    socket = await sockets.open(tcast.member)
    for _ in range(5):
        await socket.send({"type": "ack", "received": 1})
    assert await socket.nothing_more()
    await socket.send({"type": "ack", "received": 99, "ref": "a"})
    error = await socket.receive()
    assert (error["code"], error["ref"]) == ("invalid", "a")
    await socket.send({"type": "ack", "received": "1"})
    assert (await socket.receive())["code"] == "invalid"
