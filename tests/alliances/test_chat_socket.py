"""Chat over the websocket: room:<id> with message.send and friends, against the real ASGI app."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async

from alliances.models import Message
from alliances.services import teams

pytestmark = [pytest.mark.django_db(transaction=True)]


async def joined(sockets, user, room):
    socket = await sockets.open(user)
    answer = await socket.subscribe(room.topic)
    assert answer["type"] == "subscribed", answer
    return socket


def send_frame(room, client_id, body="你好", **extra):
    return {"type": "message.send", "topic": room.topic, "client_id": client_id, "body": body, **extra}


async def test_a_message_is_acked_and_reaches_every_subscriber_including_the_senders_other_tab(
    sockets, tcast, tworld
):
    sender = await joined(sockets, tcast.member, tworld.room)
    other_tab = await joined(sockets, tcast.member, tworld.room)
    colleague = await joined(sockets, tcast.leader2, tworld.room)
    await sender.send(send_frame(tworld.room, "c-1", "**大家好**"))
    frames = await sender.receive_until(lambda f: f["type"] == "ack")
    ack = frames[-1]
    assert ack["client_id"] == "c-1" and ack["seq"] == 1 and isinstance(ack["id"], int)
    for socket in (other_tab, colleague):
        event = (await socket.receive_until(lambda f: f["type"] == "event"))[-1]
        assert event["event"] == "message.created"
        assert event["data"]["id"] == ack["id"]
        assert event["data"]["html"] == "<p><strong>大家好</strong></p>"
        assert event["data"]["client_id"] == "c-1"


async def test_a_retried_send_gets_the_same_ack_and_creates_nothing(sockets, tcast, tworld):
    sender = await joined(sockets, tcast.member, tworld.room)
    await sender.send(send_frame(tworld.room, "retry-1"))
    seen = await sender.receive_until(lambda f: f["type"] == "ack")
    first = seen[-1]
    # The ack was "lost": the page reconnects and sends the same client_id again.
    again = await joined(sockets, tcast.member, tworld.room)
    await again.send(send_frame(tworld.room, "retry-1"))
    second = (await again.receive_until(lambda f: f["type"] == "ack"))[-1]
    assert (second["id"], second["seq"]) == (first["id"], first["seq"])
    assert await sync_to_async(Message.objects.filter(client_id="retry-1").count)() == 1
    # The retry published nothing: the first socket sees the one message.created, no second.
    while not await sender.nothing_more(0.3):
        seen.append(await sender.receive())
    assert [f["data"]["client_id"] for f in seen if f["type"] == "event"] == ["retry-1"]


async def test_an_outsider_can_neither_subscribe_nor_send(sockets, tcast, tworld):
    outsider = await sockets.open(tcast.outsider)
    answer = await outsider.subscribe(tworld.room.topic)
    # Someone else's room answers as a missing one (tests/alliances/test_room_access.py).
    assert answer["type"] == "error" and answer["code"] == "not_found"
    await outsider.send(send_frame(tworld.room, "x-1"))
    error = await outsider.receive()
    assert error["type"] == "error" and error["code"] == "forbidden" and error["client_id"] == "x-1"
    assert await sync_to_async(Message.objects.count)() == 0


async def test_a_removed_member_receives_nothing_more_on_any_tab(sockets, tcast, tworld):
    tabs = [await joined(sockets, tcast.leader2, tworld.room) for _ in range(2)]
    lead = await joined(sockets, tcast.member, tworld.room)
    await sync_to_async(teams.team_member_remove)(actor=tcast.member, team=tworld.team, user=tcast.leader2)
    for tab in tabs:
        frames = await tab.receive_until(lambda f: f["type"] == "unsubscribed")
        assert frames[-1]["reason"] == "forbidden"
    await lead.send(send_frame(tworld.room, "after-removal", "秘密"))
    await lead.receive_until(lambda f: f["type"] == "ack")
    for tab in tabs:
        assert await tab.nothing_more(0.3)
        # Nor can the removed member write or resubscribe.
        await tab.send(send_frame(tworld.room, "late"))
        assert (await tab.receive())["code"] == "forbidden"
        assert (await tab.subscribe(tworld.room.topic))["code"] == "not_found"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "invalid"),
        (json.dumps({"type": "message.shout", "topic": "room:1"}), "invalid"),
        (
            json.dumps({"type": "message.send", "topic": "studio:1", "client_id": "a", "body": "x"}),
            "forbidden",
        ),
    ],
)
async def test_bad_frames_get_an_error_frame(sockets, tcast, tworld, raw, code):
    socket = await joined(sockets, tcast.member, tworld.room)
    await socket.send_raw(raw)
    answer = await socket.receive()
    assert answer["type"] == "error" and answer["code"] == code


async def test_a_body_over_the_limit_is_too_large_and_echoes_the_client_id(sockets, tcast, tworld):
    socket = await joined(sockets, tcast.member, tworld.room)
    await socket.send(send_frame(tworld.room, "big", "长" * 10_001))
    answer = await socket.receive()
    assert (answer["type"], answer["code"], answer["client_id"]) == ("error", "too_large", "big")


async def test_a_send_without_client_id_is_invalid(sockets, tcast, tworld):
    socket = await joined(sockets, tcast.member, tworld.room)
    await socket.send({"type": "message.send", "topic": tworld.room.topic, "body": "x", "ref": "m"})
    answer = await socket.receive()
    assert (answer["code"], answer["ref"]) == ("invalid", "m")


async def test_a_flood_is_rate_limited_then_closed(sockets, tcast, tworld, settings):
    settings.REALTIME = {**settings.REALTIME, "RATE": 1, "BURST": 2, "MAX_ERRORS": 3}
    socket = await sockets.open(tcast.member)
    for index in range(10):
        await socket.send({"type": "ping", "ref": index})
    codes = []
    output = await socket.communicator.receive_output(timeout=2)
    while output["type"] == "websocket.send":
        codes.append(json.loads(output["text"]).get("code"))
        output = await socket.communicator.receive_output(timeout=2)
    assert "rate_limited" in codes
    assert output == {"type": "websocket.close", "code": 4008}
    socket.closed = True


async def test_edit_and_delete_are_events_and_only_the_author_or_lead_may(sockets, tcast, tworld):
    author = await joined(sockets, tcast.leader2, tworld.room)
    lead = await joined(sockets, tcast.member, tworld.room)
    await author.send(send_frame(tworld.room, "e-1", "初稿"))
    ack = (await author.receive_until(lambda f: f["type"] == "ack"))[-1]
    await lead.receive_until(lambda f: f["type"] == "event")
    await lead.send({"type": "message.edit", "topic": tworld.room.topic, "id": ack["id"], "body": "篡改"})
    assert (await lead.receive())["code"] == "forbidden"
    await author.send({"type": "message.edit", "topic": tworld.room.topic, "id": ack["id"], "body": "定稿"})
    edited = (await lead.receive_until(lambda f: f["type"] == "event"))[-1]
    assert edited["event"] == "message.edited" and edited["data"]["html"] == "<p>定稿</p>"
    # The lead of the team may delete anyone's message.
    await lead.send({"type": "message.delete", "topic": tworld.room.topic, "id": ack["id"], "ref": "d"})
    assert (await lead.receive_until(lambda f: f["type"] == "ack"))[-1]["ref"] == "d"
    deleted = (await author.receive_until(lambda f: f.get("event") == "message.deleted"))[-1]
    assert deleted["data"]["id"] == ack["id"]
    message = await sync_to_async(Message.objects.get)(pk=ack["id"])
    assert message.is_deleted and message.body == "" and message.edited_at is not None


async def test_typing_reaches_the_others_in_the_room(sockets, tcast, tworld):
    typist = await joined(sockets, tcast.member, tworld.room)
    colleague = await joined(sockets, tcast.leader2, tworld.room)
    await typist.send({"type": "typing", "topic": tworld.room.topic})
    frame = await colleague.receive()
    assert frame["type"] == "ephemeral" and frame["event"] == "typing"
    assert frame["data"]["user_id"] == tcast.member.pk
    assert await typist.nothing_more()


async def test_presence_counts_every_tab_and_is_answered_with_who_is_online(sockets, tcast, tworld):
    first = await joined(sockets, tcast.member, tworld.room)
    second = await joined(sockets, tcast.member, tworld.room)
    colleague = await joined(sockets, tcast.leader2, tworld.room)
    for socket in (first, second):
        await socket.send({"type": "presence", "topic": tworld.room.topic, "state": "online"})
        await socket.receive_until(lambda f: f["type"] == "ack")
    await colleague.send({"type": "presence", "topic": tworld.room.topic, "ref": "p"})
    ack = (await colleague.receive_until(lambda f: f["type"] == "ack"))[-1]
    assert {person["id"] for person in ack["online"]} == {tcast.member.pk, tcast.leader2.pk}
    # One tab closes: the member is still online through the other.
    await first.send({"type": "presence", "topic": tworld.room.topic, "state": "offline"})
    ack = (await first.receive_until(lambda f: f["type"] == "ack"))[-1]
    assert tcast.member.pk in {person["id"] for person in ack["online"]}
