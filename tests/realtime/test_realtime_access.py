"""Live access ends when it should, on every path (second review of the realtime core)."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session
from django.db import transaction

from platform_core.accounts.models import AdminGrant
from platform_core.orgs import services as org_services
from platform_core.realtime import selectors
from platform_core.realtime.hub import get_hub
from platform_core.realtime.services import emit

pytestmark = [pytest.mark.django_db(transaction=True)]


async def drain(socket) -> list[dict]:
    frames = []
    while not await socket.nothing_more(0.3):
        frames.append(await socket.receive())
    return frames


@database_sync_to_async
def emit_one(topic: str, name: str = "studio.news", data: dict | None = None) -> int:
    return emit(topic, name, data or {"x": 1}).seq


def secret_frames(frames: list[dict], topic: str) -> list[dict]:
    return [f for f in frames if f["type"] == "event" and f["topic"] == topic]


async def test_the_socket_cannot_leave_its_own_user_topic(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "unsubscribe", "topic": f"user:{tcast.member.pk}", "ref": "u"})
    assert (await socket.receive())["code"] == "invalid"

    @database_sync_to_async
    def disable():
        tcast.member.is_active = False
        tcast.member.save()

    await disable()
    assert await socket.communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4001}


async def test_deleting_a_user_closes_their_sockets(sockets, tcast):
    socket = await sockets.open(tcast.outsider)
    await database_sync_to_async(tcast.outsider.delete)()
    assert await socket.communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4001}


async def test_an_admin_whose_grant_is_deleted_stops_receiving_the_studio(sockets, tcast):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.admin)
    await socket.subscribe(topic)
    await database_sync_to_async(AdminGrant.objects.filter(user=tcast.admin).delete)()
    frames = await socket.receive_until(lambda f: f["type"] == "unsubscribed")
    assert frames[-1] == {"type": "unsubscribed", "topic": topic, "reason": "forbidden"}
    await emit_one(topic)
    assert await socket.nothing_more()


async def test_the_periodic_recheck_closes_sockets_whose_session_ended_silently(sockets, tcast):
    socket = await sockets.open(tcast.member)
    other = await sockets.open(tcast.leader1)
    # Sessions expire or are cleared without any signal.
    await database_sync_to_async(Session.objects.filter(session_key=socket.session_cookie).delete)()
    await get_hub().recheck_all()
    assert await socket.communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4001}
    assert await other.nothing_more()


async def test_a_resync_over_a_live_gap_still_applies_the_removal(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "REPLAY_LIMIT": 3}
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=0)

    @database_sync_to_async
    def remove_and_more_without_publishing():
        with transaction.atomic():  # as if Redis were down while these committed
            org_services.studio_member_remove(actor=tcast.leader1, studio=tcast.studio1, user=tcast.member)
            for index in range(4):
                emit(topic, "studio.updated", {"i": index})
            transaction.get_connection().run_on_commit = []

    await remove_and_more_without_publishing()
    await emit_one(topic, "studio.updated", {"secret": "after removal"})  # a gap of 5 > 3
    frames = await drain(socket)
    assert secret_frames(frames, topic) == []
    assert {"type": "unsubscribed", "topic": topic, "reason": "forbidden"} in frames


async def test_a_member_added_again_keeps_receiving_across_the_old_removal(sockets, tcast):
    topic = tcast.studio1.topic
    await emit_one(topic)  # 1

    @database_sync_to_async
    def remove_and_add_again():
        org_services.studio_member_remove(actor=tcast.leader1, studio=tcast.studio1, user=tcast.member)  # 2
        org_services.studio_member_add(actor=tcast.leader1, studio=tcast.studio1, user=tcast.member)  # 3

    await remove_and_add_again()
    await emit_one(topic, "studio.updated")  # 4
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=1)
    frames = await socket.receive_until(lambda f: f.get("seq") == 4)
    assert [f["seq"] for f in secret_frames(frames, topic)] == [2, 3, 4]


async def test_a_failed_gap_fill_ends_in_a_resync_not_a_stall(sockets, tcast, monkeypatch):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic, since=0)

    @database_sync_to_async
    def store_silently():
        with transaction.atomic():
            emit(topic, "a", {})
            transaction.get_connection().run_on_commit = []

    await store_silently()  # seq 1 is never published live
    original, calls = selectors.replay_frames, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database blip")
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "replay_frames", flaky)
    await emit_one(topic, "b")  # seq 2: a gap, whose fill fails once
    await asyncio.sleep(0.2)
    for _ in range(3):
        await emit_one(topic, "c")  # 3, 4, 5
    frames = await socket.receive_until(lambda f: f.get("seq") == 5)
    assert "resync" in [f["type"] for f in frames]
    assert [f["seq"] for f in secret_frames(frames, topic)][-3:] == [3, 4, 5]


async def test_a_revoke_reaches_the_client_even_if_leaving_the_group_fails(sockets, tcast):
    topic = tcast.studio1.topic
    member = await sockets.open(tcast.member)
    await member.subscribe(topic, since=0)
    hub = get_hub()

    async def broken_discard(*args, **kwargs):
        raise ConnectionError("redis gone")

    hub.layer.group_discard = broken_discard
    await database_sync_to_async(org_services.studio_member_remove)(
        actor=tcast.leader1, studio=tcast.studio1, user=tcast.member
    )
    frames = await member.receive_until(lambda f: f["type"] == "unsubscribed")
    assert frames[-1]["reason"] == "forbidden"
    await member.send({"type": "typing", "topic": topic, "ref": "t"})
    frames = await member.receive_until(lambda f: f["type"] == "error")
    assert frames[-1]["code"] == "forbidden"


def test_saving_a_user_without_credential_fields_costs_no_extra_query(tcast, django_assert_num_queries):
    tcast.member.display_name = "新名字"
    with django_assert_num_queries(1):
        tcast.member.save(update_fields=["display_name"])
