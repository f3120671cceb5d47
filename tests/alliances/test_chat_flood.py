"""A burst of chat messages is charged to the rate limit as it arrives, and the frames a socket
has admitted but not yet handled are bounded (docs/realtime.md, "Limits")."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async

from alliances.models import Message
from platform_core.realtime import limits, registry

pytestmark = [pytest.mark.django_db(transaction=True)]


class Clock:
    """The rate limit's clock, advanced only by the handling of frames: a burst sent at once
    arrives at one instant however long each frame takes to handle."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def slowed_handler(monkeypatch, frame_type: str, before) -> None:
    """Run `before()` ahead of the registered handler of `frame_type` (for this test only)."""
    registered = registry.find_frame_type(frame_type)
    assert registered is not None

    async def handler(frame, context):
        await before()
        await registered.handler(frame, context)

    monkeypatch.setitem(registry._frame_types, frame_type, dataclasses.replace(registered, handler=handler))


def send_frame(room, client_id):
    return {"type": "message.send", "topic": room.topic, "client_id": client_id, "body": f"第 {client_id} 条"}


async def answers_to(socket, count: int) -> list[dict]:
    frames = []
    while len([f for f in frames if f["type"] in ("ack", "error")]) < count:
        frames.append(await socket.receive(timeout=10))
    return [f for f in frames if f["type"] in ("ack", "error")]


async def test_150_messages_sent_at_once_are_charged_as_they_arrive(
    sockets, tcast, tworld, settings, monkeypatch
):
    # Errors beyond the burst must all be answered here, not end the connection as abusive.
    settings.REALTIME = {**settings.REALTIME, "RATE": 20, "BURST": 60, "MAX_ERRORS": 1000}
    clock = Clock()
    monkeypatch.setattr(limits, "time", SimpleNamespace(monotonic=clock.monotonic, time=time.time))

    async def a_tenth_of_a_second_passes():
        # Each message takes 100 ms to store: two tokens' worth at 20 a second.
        clock.now += 0.1

    slowed_handler(monkeypatch, "message.send", a_tenth_of_a_second_passes)
    socket = await sockets.open(tcast.member)
    assert (await socket.subscribe(tworld.room.topic))["type"] == "subscribed"  # one token
    for index in range(150):
        await socket.send(send_frame(tworld.room, f"c-{index}"))
    answers = await answers_to(socket, 150)
    accepted = [a for a in answers if a["type"] == "ack"]
    refused = [a for a in answers if a["type"] == "error"]
    assert len(accepted) == 59
    assert {a["code"] for a in refused} == {"rate_limited"}
    assert {a["client_id"] for a in accepted} | {a["client_id"] for a in refused} == {
        f"c-{index}" for index in range(150)
    }
    stored = await sync_to_async(list)(Message.objects.values_list("client_id", flat=True))
    assert sorted(stored) == sorted(a["client_id"] for a in accepted)


async def test_frames_waiting_to_be_handled_are_bounded_and_none_admitted_is_lost(
    sockets, tcast, tworld, settings, monkeypatch
):
    settings.REALTIME = {**settings.REALTIME, "BURST": 100, "MAX_PENDING_FRAMES": 5, "MAX_ERRORS": 1000}
    database_slow = asyncio.Event()

    async def wait_for_the_database():
        await database_slow.wait()

    slowed_handler(monkeypatch, "message.send", wait_for_the_database)
    socket = await sockets.open(tcast.member)
    assert (await socket.subscribe(tworld.room.topic))["type"] == "subscribed"
    for index in range(12):
        await socket.send(send_frame(tworld.room, f"q-{index}"))
    refused = await answers_to(socket, 7)
    assert {(a["type"], a["code"]) for a in refused} == {("error", "rate_limited")}
    database_slow.set()
    accepted = await answers_to(socket, 5)
    assert [a["type"] for a in accepted] == ["ack"] * 5
    # Admitted frames are handled in the order they arrived, every one of them.
    assert [a["client_id"] for a in accepted] == [f"q-{index}" for index in range(5)]
    assert sorted(a["client_id"] for a in refused) == sorted(f"q-{index}" for index in range(5, 12))
    assert await sync_to_async(Message.objects.count)() == 5
    # Once caught up, the socket takes frames again.
    await socket.send(send_frame(tworld.room, "q-after"))
    assert (await answers_to(socket, 1))[0]["type"] == "ack"
