"""The websocket protocol of docs/realtime.md, against the real ASGI stack."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from platform_core.orgs import services as org_services
from platform_core.realtime import groups
from platform_core.realtime.services import emit
from tests.ws import open_socket

pytestmark = [pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def emit_many(topic: str, count: int, name: str = "test.tick") -> list[int]:
    return [emit(topic, name, {"n": index}).seq for index in range(count)]


def event_seqs(frames: list[dict], topic: str) -> list[int]:
    return [f["seq"] for f in frames if f["type"] == "event" and f["topic"] == topic]


async def test_anonymous_handshake_is_refused(tcast):
    await open_socket(None, expect_refusal=True)


async def test_foreign_origin_handshake_is_refused(tcast):
    await open_socket(tcast.member, origin=b"http://evil.example.com", expect_refusal=True)


async def test_handshake_without_origin_is_refused(tcast):
    await open_socket(tcast.member, origin=None, expect_refusal=True)


async def test_it_subscribes_the_users_own_topic_automatically(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await emit_many(f"user:{tcast.member.pk}", 1, "notification.created")
    frame = await socket.receive()
    assert frame == {
        "type": "event",
        "topic": f"user:{tcast.member.pk}",
        "seq": 1,
        "event": "notification.created",
        "data": {"n": 0},
    }


async def test_ping_gets_pong_with_ref(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "ping", "ref": "p1"})
    assert await socket.receive() == {"type": "pong", "ref": "p1"}


async def test_subscribe_replays_everything_after_since_in_order(sockets, tcast):
    topic = tcast.studio1.topic
    await emit_many(topic, 5)
    socket = await sockets.open(tcast.member)
    subscribed = await socket.subscribe(topic, since=2, ref="a")
    assert subscribed == {"type": "subscribed", "topic": topic, "ref": "a", "head": 5}
    frames = [await socket.receive() for _ in range(3)]
    assert event_seqs(frames, topic) == [3, 4, 5]
    assert await socket.nothing_more()


async def test_subscribe_without_since_only_gets_new_events(sockets, tcast):
    topic = tcast.studio1.topic
    await emit_many(topic, 3)
    socket = await sockets.open(tcast.member)
    assert (await socket.subscribe(topic))["head"] == 3
    assert await socket.nothing_more()
    await emit_many(topic, 1)
    assert (await socket.receive())["seq"] == 4


async def test_replay_and_live_join_with_no_gap_and_no_duplicate(sockets, tcast):
    topic = tcast.studio1.topic
    await emit_many(topic, 20)
    socket = await sockets.open(tcast.member)

    async def writer():
        for _ in range(30):
            await emit_many(topic, 1)
            await asyncio.sleep(0)

    writing = asyncio.create_task(writer())
    await socket.send({"type": "subscribe", "topic": topic, "since": 5, "ref": "s"})
    await writing
    frames = await socket.receive_until(lambda f: f.get("seq") == 50)
    assert frames[0]["type"] == "subscribed"
    assert event_seqs(frames, topic) == list(range(6, 51))
    assert await socket.nothing_more()


async def test_reconnect_with_since_misses_nothing(sockets, tcast):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=0)
    await emit_many(topic, 3)
    seen = event_seqs([await socket.receive() for _ in range(3)], topic)
    await socket.close()
    await emit_many(topic, 4)  # while the client is away
    again = await sockets.open(tcast.member)
    await again.subscribe(topic, since=seen[-1])
    assert event_seqs([await again.receive() for _ in range(4)], topic) == [4, 5, 6, 7]


async def test_more_than_500_missing_events_asks_for_resync(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "REPLAY_LIMIT": 10}
    topic = tcast.studio1.topic
    await emit_many(topic, 15)
    socket = await sockets.open(tcast.member)
    assert (await socket.subscribe(topic, since=2))["head"] == 15
    assert await socket.receive() == {"type": "resync", "topic": topic, "head": 15}
    await emit_many(topic, 1)
    assert (await socket.receive())["seq"] == 16  # live again from the head


async def test_since_beyond_head_asks_for_resync(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.subscribe(tcast.studio1.topic, since=99)
    assert (await socket.receive())["type"] == "resync"


async def test_out_of_order_live_delivery_is_filled_from_the_database(sockets, tcast):
    """Two processes may publish seq 2 and 3 in the wrong order; the client still sees 1, 2, 3."""
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=0)

    @database_sync_to_async
    def store_silently(count):
        # Stored (committed) but not yet published, as if another process were slow to publish.
        with transaction.atomic():
            seqs = [emit(topic, "test.tick", {"n": n}).seq for n in range(count)]
            transaction.get_connection().run_on_commit = []
        return seqs

    assert await store_silently(3) == [1, 2, 3]
    layer = get_channel_layer()

    async def publish_late(seq):
        await layer.group_send(
            groups.group_for_topic(topic),
            {"type": groups.EVENT, "topic": topic, "seq": seq, "event": "test.tick", "data": {"n": seq - 1}},
        )

    # Only seq 3 arrives live; 1 and 2 come from the database; their late live copies are dropped.
    await publish_late(3)
    await publish_late(2)
    await publish_late(1)
    frames = [await socket.receive() for _ in range(3)]
    assert event_seqs(frames, topic) == [1, 2, 3]
    assert await socket.nothing_more()


async def test_topic_of_another_user_is_forbidden(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "subscribe", "topic": f"user:{tcast.leader1.pk}", "ref": "x"})
    frame = await socket.receive()
    assert frame["type"] == "error" and frame["code"] == "forbidden" and frame["ref"] == "x"


async def test_studio_topic_is_forbidden_to_non_members(sockets, tcast):
    for user in (tcast.outsider, tcast.leader2, tcast.expert, tcast.poster):
        socket = await sockets.open(user)
        frame = await socket.subscribe(tcast.studio1.topic)
        assert (frame["type"], frame["code"]) == ("error", "forbidden"), user
        await socket.close()


async def test_studio_topic_is_open_to_members_leader_and_its_admin(sockets, tcast):
    for user in (tcast.member, tcast.leader1, tcast.admin, tcast.superadmin):
        socket = await sockets.open(user)
        assert (await socket.subscribe(tcast.studio1.topic))["type"] == "subscribed", user
        await socket.close()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "subscribe", "topic": "studio:999999"}, "not_found"),
        ({"type": "subscribe", "topic": "nosuchkind:1"}, "not_found"),
        ({"type": "subscribe", "topic": "studio:abc"}, "not_found"),
        ({"type": "subscribe", "topic": "bad topic"}, "invalid"),
        ({"type": "subscribe", "topic": 42}, "invalid"),
        ({"type": "subscribe", "topic": "studio:1", "since": -1}, "invalid"),
        ({"type": "subscribe", "topic": "studio:1", "since": "3"}, "invalid"),
        ({"type": "subscribe", "topic": "studio:1", "ref": {"x": 1}}, "invalid"),
        ({"type": "unsubscribe", "topic": "studio:1"}, "not_found"),
        ({"type": "dance"}, "invalid"),
        ({"no": "type"}, "invalid"),
        ([1, 2], "invalid"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_connection_lives(sockets, tcast, frame, code):
    socket = await sockets.open(tcast.member)
    await socket.send(frame)
    error = await socket.receive()
    assert error["type"] == "error" and error["code"] == code, error
    await socket.send({"type": "ping"})
    assert (await socket.receive())["type"] == "pong"


async def test_non_json_and_binary_frames_are_invalid(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.send_raw(text="{not json")
    assert (await socket.receive())["code"] == "invalid"
    await socket.send_raw(data=b"\x00\x01")
    assert (await socket.receive())["code"] == "invalid"


async def test_oversized_frame_is_too_large(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "MAX_FRAME_BYTES": 100}
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "ping", "pad": "x" * 200})
    assert (await socket.receive())["code"] == "too_large"
    await socket.send({"type": "ping"})
    assert (await socket.receive())["type"] == "pong"


async def test_flooding_is_rate_limited_then_closed_as_abusive(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "RATE": 1, "BURST": 3, "MAX_ERRORS": 5}
    socket = await sockets.open(tcast.member)
    for _ in range(12):
        await socket.send({"type": "ping"})
    frames = []
    while True:
        output = await socket.communicator.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            assert output["code"] == 4008
            break
        frames.append(json.loads(output["text"]))
    # Refusals are answered on arrival, before the admitted pings' pongs.
    assert [f["type"] for f in frames].count("pong") <= 3
    assert {f.get("code") for f in frames if f["type"] == "error"} == {"rate_limited"}


async def test_unsubscribe_stops_delivery(sockets, tcast):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic)
    await socket.send({"type": "unsubscribe", "topic": topic, "ref": "u"})
    assert await socket.receive() == {
        "type": "unsubscribed",
        "topic": topic,
        "ref": "u",
        "reason": "requested",
    }
    await emit_many(topic, 2)
    assert await socket.nothing_more()


async def test_a_removed_member_stops_receiving_at_once(sockets, tcast):
    topic = tcast.studio1.topic
    member_socket = await sockets.open(tcast.member)
    leader_socket = await sockets.open(tcast.leader1)
    await member_socket.subscribe(topic)
    await leader_socket.subscribe(topic)

    await database_sync_to_async(org_services.studio_member_remove)(
        actor=tcast.leader1, studio=tcast.studio1, user=tcast.member
    )
    frames = await member_socket.receive_until(lambda f: f["type"] == "unsubscribed")
    assert frames[-1] == {"type": "unsubscribed", "topic": topic, "reason": "forbidden"}
    # The removal event itself and everything after it go to the remaining members only.
    assert event_seqs(frames, topic) == []
    leader_frames = await leader_socket.receive_until(lambda f: f.get("event") == "studio.member_removed")
    assert leader_frames[-1]["data"]["user_id"] == tcast.member.pk
    await emit_many(topic, 1)
    assert (await leader_socket.receive())["event"] == "test.tick"
    later = [await member_socket.receive()]  # the "you are no longer a member" notification
    assert later[0]["topic"] == f"user:{tcast.member.pk}"
    assert later[0]["event"] == "notification.created"
    assert await member_socket.nothing_more()
    # Nor can the removed member subscribe again.
    assert (await member_socket.subscribe(topic))["code"] == "forbidden"


async def test_typing_is_ephemeral_and_not_echoed(sockets, tcast):
    topic = tcast.studio1.topic
    member_socket = await sockets.open(tcast.member)
    leader_socket = await sockets.open(tcast.leader1)
    await member_socket.subscribe(topic)
    await leader_socket.subscribe(topic)
    await member_socket.send({"type": "typing", "topic": topic})
    frame = await leader_socket.receive()
    assert frame == {
        "type": "ephemeral",
        "topic": topic,
        "event": "typing",
        "data": {"user_id": tcast.member.pk, "name": str(tcast.member)},
    }
    assert "seq" not in frame
    assert await member_socket.nothing_more()


async def test_typing_needs_a_subscription(sockets, tcast):
    socket = await sockets.open(tcast.outsider)
    await socket.send({"type": "typing", "topic": tcast.studio1.topic, "ref": "t"})
    assert (await socket.receive())["code"] == "forbidden"


async def test_resubscribing_replaces_the_subscription(sockets, tcast):
    topic = tcast.studio1.topic
    await emit_many(topic, 3)
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=3)
    await socket.subscribe(topic, since=1, ref="again")
    assert event_seqs([await socket.receive() for _ in range(2)], topic) == [2, 3]
    await emit_many(topic, 1)
    assert event_seqs([await socket.receive()], topic) == [4]
    assert await socket.nothing_more()


async def test_one_socket_carries_many_topics(sockets, tcast, topic_kind):
    topic_kind("pinboard")
    socket = await sockets.open(tcast.member)
    await socket.subscribe("pinboard:1", ref="1")
    await socket.subscribe("pinboard:2", ref="2")
    await emit_many("pinboard:1", 1)
    await emit_many("pinboard:2", 1)
    frames = [await socket.receive() for _ in range(2)]
    assert {(f["topic"], f["seq"]) for f in frames} == {("pinboard:1", 1), ("pinboard:2", 1)}


async def test_each_event_is_serialised_once_per_process_not_per_socket(sockets, tcast):
    """Hub fan-out: one channel-layer message per process, written to every local socket."""
    from platform_core.realtime.hub import get_hub

    opened = [await sockets.open(tcast.member) for _ in range(5)]
    for socket in opened:
        await socket.subscribe(tcast.studio1.topic)
    hub = get_hub()
    group = groups.group_for_topic(tcast.studio1.topic)
    assert await group_members(group) == [hub.channel_name]
    await emit_many(tcast.studio1.topic, 1)
    for socket in opened:
        assert (await socket.receive())["seq"] == 1
        await socket.close()
    assert await group_members(group) == []


async def group_members(group: str) -> list[str]:
    """The channels in a channel-layer group, for the in-process layer and for channels_redis."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):
        return list(layer.groups.get(group, {}))
    connection = layer.connection(layer.consistent_hash(group))
    return [member.decode() for member in await connection.zrange(layer._group_key(group), 0, -1)]


async def test_the_removal_event_ends_access_even_when_its_live_copy_is_lost(sockets, tcast):
    """Revocation travels with the stored event: a gap fill that meets it stops the member there."""
    topic = tcast.studio1.topic
    member_socket = await sockets.open(tcast.member)
    await member_socket.subscribe(topic, since=0)

    @database_sync_to_async
    def remove_without_publishing():
        with transaction.atomic():
            org_services.studio_member_remove(actor=tcast.leader1, studio=tcast.studio1, user=tcast.member)
            transaction.get_connection().run_on_commit = []

    await remove_without_publishing()
    await emit_many(topic, 1, "studio.secret")  # published normally: the member's hub sees a gap
    frames = await member_socket.receive_until(lambda f: f["type"] == "unsubscribed")
    assert frames[-1] == {"type": "unsubscribed", "topic": topic, "reason": "forbidden"}
    assert event_seqs(frames, topic) == []
    assert await member_socket.nothing_more()


async def test_access_is_checked_again_after_attaching(sockets, tcast, topic_kind):
    """A removal committed between the first check and the attach is caught by the second."""
    calls = []

    def authorize(user, key):
        calls.append(key)
        if len(calls) > 1:
            from platform_core.realtime.registry import TopicForbidden

            raise TopicForbidden("removed meanwhile")

    topic_kind("flaky", authorize=authorize)
    socket = await sockets.open(tcast.member)
    frame = await socket.subscribe("flaky:1")
    assert (frame["type"], frame["code"]) == ("error", "forbidden")
    assert len(calls) == 2
    await emit_many("flaky:1", 1)
    assert await socket.nothing_more()


async def test_logging_out_closes_that_sessions_socket(sockets, tcast):
    from django.conf import settings as django_settings
    from django.test import Client

    socket = await sockets.open(tcast.member)
    cookie = socket.session_cookie

    @database_sync_to_async
    def log_out():
        client = Client()
        client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        assert client.post("/logout/").status_code == 302

    await log_out()
    output = await socket.communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4001}


async def test_a_password_change_closes_every_socket_of_the_user(sockets, tcast):
    first, second = await sockets.open(tcast.member), await sockets.open(tcast.member)
    other = await sockets.open(tcast.leader1)

    @database_sync_to_async
    def change_password():
        tcast.member.set_password("a-new-password-123")
        tcast.member.save()

    await change_password()
    for socket in (first, second):
        assert await socket.communicator.receive_output(timeout=2) == {
            "type": "websocket.close",
            "code": 4001,
        }
    assert await other.nothing_more()


async def test_a_subscriber_whose_send_fails_does_not_cost_the_others_their_event(sockets, tcast):
    from platform_core.realtime.hub import get_hub

    topic = tcast.studio1.topic
    broken, healthy = await sockets.open(tcast.member), await sockets.open(tcast.leader1)
    await broken.subscribe(topic)
    await healthy.subscribe(topic)
    hub = get_hub()
    broken_connection = next(
        sub.connection for sub in hub.local[topic] if sub.connection.user_id == tcast.member.pk
    )

    async def fail(text):
        raise RuntimeError("socket gone")

    broken_connection.send_text = fail
    await emit_many(topic, 1)
    assert (await healthy.receive())["seq"] == 1


async def test_a_gap_the_database_cannot_fill_becomes_a_resync(sockets, tcast):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=0)
    # A live message for seq 5 that was never stored (cannot happen through emit; defensive).
    await get_channel_layer().group_send(
        groups.group_for_topic(topic),
        {"type": groups.EVENT, "topic": topic, "seq": 5, "event": "x", "data": {}, "revoke": []},
    )
    frames = await socket.receive_until(lambda f: f.get("seq") == 5)
    assert [f["type"] for f in frames] == ["resync", "event"]
    assert frames[0]["head"] == 4


async def test_the_hub_keeps_reading_after_its_last_subscriber_leaves(sockets, tcast):
    from platform_core.realtime.hub import get_hub

    socket = await sockets.open(tcast.member)
    await socket.close()
    hub = get_hub()
    assert hub.reading
    again = await sockets.open(tcast.member)
    await emit_many(f"user:{tcast.member.pk}", 1)
    assert (await again.receive())["type"] == "event"
