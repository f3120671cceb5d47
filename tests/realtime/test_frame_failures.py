"""One frame's failure, whatever its cause, gets an `error` frame at most: the socket stays."""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import OperationalError

from platform_core.asgi import application
from tests.ws import ORIGIN, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ('{"type":"ping","ref":"\\ud800"}', "\ud800"),  # a lone surrogate, echoed in the pong
        ('{"type":"ping","ref":"\\udfff\\ud800x"}', "\udfff\ud800x"),
        ('{"type":"\\ud800"}', None),  # echoed in the error's detail
        ('{"type":"subscribe","topic":"\\ud800:1","ref":"\\ud800"}', "\ud800"),
        ('{"type":"unsubscribe","topic":"studio:1","ref":"\\ud83d"}', "\ud83d"),
        ("[" * 20000 + "]" * 20000, None),  # nested past the JSON parser's recursion limit
    ],
)
async def test_any_frame_content_gets_at_most_an_error_frame(sockets, tcast, text, ref):
    socket = await sockets.open(tcast.member)
    await socket.send_raw(text=text)
    # Socket.receive fails unless the answer is valid UTF-8, as a real server needs it to be.
    answer = await socket.receive()
    assert answer["type"] in {"pong", "error"}
    assert answer["ref"] == ref
    await socket.send({"type": "ping", "ref": "after"})
    assert await socket.receive() == {"type": "pong", "ref": "after"}


async def test_a_lost_database_connection_during_subscribe_is_an_error_frame(
    sockets, tcast, topic_kind, caplog
):
    def authorize(user, key):
        raise OperationalError("server closed the connection unexpectedly")

    topic_kind("shaky", authorize=authorize)
    socket = await sockets.open(tcast.member)
    with caplog.at_level(logging.ERROR, logger="platform_core.realtime.consumers"):
        await socket.send({"type": "subscribe", "topic": "shaky:1", "ref": "s1"})
        error = await socket.receive()
    assert (error["type"], error["code"], error["ref"]) == ("error", "server_error", "s1")
    assert any(record.exc_info for record in caplog.records), "the failure is logged with its traceback"
    # The client retries; the socket still works.
    await socket.subscribe(tcast.studio1.topic, ref="s2")


async def test_server_errors_are_not_held_against_the_client(sockets, tcast, topic_kind, settings):
    settings.REALTIME = {**settings.REALTIME, "MAX_ERRORS": 2}

    def authorize(user, key):
        raise OperationalError("the database is restarting")

    topic_kind("shaky", authorize=authorize)
    socket = await sockets.open(tcast.member)
    for attempt in range(5):
        await socket.send({"type": "subscribe", "topic": "shaky:1", "ref": attempt})
        assert (await socket.receive())["code"] == "server_error"
    await socket.send({"type": "ping"})
    assert (await socket.receive())["type"] == "pong"


async def test_a_failing_app_handler_is_an_error_frame(sockets, tcast, topic_kind, frame_handler):
    async def broken(frame, context):
        raise RuntimeError("a bug in an app")

    topic_kind("pinboard")
    frame_handler("board.break", broken, topic_kinds=["pinboard"])
    socket = await sockets.open(tcast.member)
    await socket.subscribe("pinboard:1")
    await socket.send({"type": "board.break", "topic": "pinboard:1", "client_id": "c9"})
    error = await socket.receive()
    assert (error["code"], error["client_id"], error["ref"]) == ("server_error", "c9", None)


async def test_rate_limited_frames_echo_their_ref(sockets, tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "RATE": 1, "BURST": 1}
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "ping", "ref": "first"})
    await socket.send({"type": "ping", "ref": "second"})
    # The refusal is answered on arrival, possibly before the admitted frame's answer.
    answers = {frame["ref"]: frame for frame in [await socket.receive(), await socket.receive()]}
    assert answers["first"] == {"type": "pong", "ref": "first"}
    assert (answers["second"]["code"], answers["second"]["type"]) == ("rate_limited", "error")


async def test_a_socket_whose_user_topic_cannot_be_set_up_is_told_to_reconnect(tcast, monkeypatch):
    def database_away(topic):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr("platform_core.realtime.selectors.topic_head", database_away)
    cookie = await sync_to_async(session_cookie)(tcast.member)
    communicator = WebsocketCommunicator(
        application,
        "/ws/",
        headers=[
            (b"origin", ORIGIN),
            (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()),
        ],
    )
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4013}
    finally:
        await communicator.disconnect()
