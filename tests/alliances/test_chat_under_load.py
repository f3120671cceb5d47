"""Chat correctness under load, at CI size (the speed is measured by `make bench-chat`, never here).

Many sockets of one room send at once, so the server stores their messages in batches (group
commit, alliances/sending.py) from several database threads; some sends are sent twice with the
same client_id (a lost ack), one socket drops and comes back with `since`. Whatever the batching:
every send is answered once, a retry with the same answer; every member's socket gets every stored
message once, in seq order, with no gap; the room's messages are numbered 1..n with no gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict

import pytest

from alliances.models import Message, Room
from alliances.services.rooms import room_create
from platform_core.realtime.models import Event
from tests.realtime.test_multiprocess_redis import open_ws
from tests.servers import daphne
from tests.ws import session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

MESSAGES_PER_SOCKET = 12


class Member:
    """One socket: what it sent, the answers it got, the room's events it received."""

    def __init__(self, ws, name: str) -> None:
        self.ws = ws
        self.name = name
        self.acks: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.errors: list[dict] = []
        self.seqs: list[int] = []  # event seqs of the room, in the order received
        self.messages: list[int] = []  # message seqs of message.created, in the order received

    async def read(self, topic: str) -> None:
        with contextlib.suppress(Exception):
            async for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "event" and frame["topic"] == topic:
                    self.seqs.append(frame["seq"])
                    if frame["event"] == "message.created":
                        self.messages.append(frame["data"]["seq"])
                elif frame["type"] == "ack" and "client_id" in frame:
                    self.acks[frame["client_id"]].append((frame["id"], frame["seq"]))
                elif frame["type"] == "error":
                    self.errors.append(frame)


async def subscribed(ws, topic: str, since: int | None) -> int:
    await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since": since, "ref": "s"}))
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "subscribed" and frame["topic"] == topic:
                return frame["head"]


async def until(condition, seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110  (the readers update what it reads)
            await asyncio.sleep(0.05)


def send(topic: str, client_id: str) -> str:
    return json.dumps(
        {"type": "message.send", "topic": topic, "client_id": client_id, "body": f"第 {client_id} 条"}
    )


def test_concurrent_sends_with_retries_and_a_reconnect_lose_and_duplicate_nothing(tcast):
    people = [tcast.leader1, tcast.leader2, tcast.member, tcast.expert]
    room = room_create(title="load", members=people)
    topic = room.topic
    cookies = {person.pk: session_cookie(person) for person in people}

    with daphne() as base:

        async def scenario() -> tuple[list[Member], dict[str, set[tuple[int, int]]]]:
            members: list[Member] = []
            readers = []
            # Two sockets per person, all subscribed from the start (head 0).
            for person in people:
                for tab in range(2):
                    ws = await open_ws(base, cookies[person.pk])
                    assert await subscribed(ws, topic, None) == 0
                    member = Member(ws, f"{person.username}-{tab}")
                    members.append(member)
                    readers.append(asyncio.create_task(member.read(topic)))
            sent: dict[str, int] = {}

            async def sender(member: Member) -> None:
                for index in range(MESSAGES_PER_SOCKET):
                    client_id = f"{member.name}-{index}"
                    await member.ws.send(send(topic, client_id))
                    sent[client_id] = sent.get(client_id, 0) + 1
                    if index % 4 == 0:  # the ack was "lost": the same message again, at once
                        await member.ws.send(send(topic, client_id))
                        sent[client_id] += 1

            # Everyone sends at once, without waiting for answers.
            await asyncio.gather(*(sender(member) for member in members))
            # One socket drops before all its answers came; it comes back with the last seq it
            # saw as `since` and sends again, with the same client_ids, what was not answered.
            dropped = members[0]
            await asyncio.sleep(0.05)
            await dropped.ws.close()
            await readers[0]
            since = dropped.seqs[-1] if dropped.seqs else 0
            back = Member(await open_ws(base, cookies[people[0].pk]), "back")
            await subscribed(back.ws, topic, since)
            readers.append(asyncio.create_task(back.read(topic)))
            back.seqs, back.messages = list(dropped.seqs), list(dropped.messages)
            members[0] = back
            unanswered = [
                cid for cid in sent if cid.startswith(dropped.name + "-") and cid not in dropped.acks
            ]
            for client_id in unanswered:
                await back.ws.send(send(topic, client_id))

            def answers() -> dict[str, set[tuple[int, int]]]:
                found: dict[str, set[tuple[int, int]]] = defaultdict(set)
                for member in [dropped, *members]:
                    for client_id, acks in member.acks.items():
                        found[client_id].update(acks)
                return found

            # Every send of the sockets that stayed is answered, and every message is stored.
            await until(
                lambda: (
                    set(answers()) == set(sent)
                    and all(
                        sum(map(len, m.acks.values()))
                        >= sum(n for cid, n in sent.items() if cid.startswith(m.name + "-"))
                        for m in members[1:]
                    )
                ),
                60,
            )
            stored = len(answers())
            # Everyone has every message: wait until the last one arrived everywhere.
            await until(lambda: all(len(set(m.messages)) >= stored for m in members), 30)
            await asyncio.sleep(0.3)  # anything extra (a duplicate) would arrive now
            for member in members:
                await member.ws.close()
            for reader in readers:
                await reader
            assert not [e for m in members for e in m.errors], "no send was refused"
            return members, answers()

        members, answers = asyncio.run(scenario())

    # A retried client_id got the very same answer; each stored message has one client_id.
    assert all(len(acks) == 1 for acks in answers.values()), answers
    stored = sorted(next(iter(acks))[1] for acks in answers.values())
    assert stored == list(range(1, len(stored) + 1))
    for member in members:
        # Every message once, in order, with no gap in the room's event stream.
        assert member.messages == stored, member.name
        assert member.seqs == list(range(1, len(member.seqs) + 1)), member.name

    room = Room.objects.get(pk=room.pk)
    rows = list(Message.objects.filter(room=room).order_by("seq").values_list("seq", "client_id"))
    assert [seq for seq, _ in rows] == stored and room.last_seq == len(stored)
    assert {client_id for _, client_id in rows} == set(answers)
    assert list(
        Event.objects.filter(topic__name=topic).order_by("seq").values_list("seq", flat=True)
    ) == list(range(1, len(stored) + 1))
