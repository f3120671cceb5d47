"""Client frame types added by apps through the registry, without touching the consumer."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from platform_core.realtime.registry import (
    TopicNotFound,
    find_frame_type,
    parse_topic,
    register_frame_handler,
    register_topic_kind,
)
from platform_core.realtime.services import emit
from platform_core.realtime.testing import capture_events, registered_frame_handler, registered_topic_kind

pytestmark = [pytest.mark.django_db(transaction=True)]


def board_note_add(*, user, board: str, text: str) -> int:
    """A stand-in for a domain service: validates, checks permission, stores a live event."""
    if not text.strip():
        raise ValidationError("a note needs some text")
    if text == "secret":
        raise PermissionDenied("only the board's owner may post that")
    return emit(f"pinboard:{board}", "board.note_added", {"text": text, "by": user.pk}).seq


async def post_note(frame: dict, context) -> None:
    seq = await database_sync_to_async(board_note_add)(
        user=context.user, board=context.key, text=str(frame.get("text", ""))
    )
    await context.ack(seq=seq)


@pytest.fixture
def board(topic_kind, frame_handler):
    topic_kind("pinboard")
    frame_handler("note.post", post_note, topic_kinds=["pinboard"])
    return "pinboard:1"


async def test_an_app_frame_is_answered_with_an_ack_echoing_ref_and_client_id(sockets, tcast, board):
    socket = await sockets.open(tcast.member)
    await socket.subscribe(board)
    await socket.send({"type": "note.post", "topic": board, "text": "hello", "ref": "n1", "client_id": "c-1"})
    frames = [await socket.receive(), await socket.receive()]
    assert {"type": "ack", "ref": "n1", "client_id": "c-1", "seq": 1} in frames
    event = next(frame for frame in frames if frame["type"] == "event")
    assert (event["topic"], event["event"], event["data"]) == (
        board,
        "board.note_added",
        {"text": "hello", "by": tcast.member.pk},
    )


@pytest.mark.parametrize(
    ("text", "code", "detail"),
    [
        ("   ", "invalid", "a note needs some text"),
        ("secret", "forbidden", "only the board's owner may post that"),
    ],
)
async def test_a_handlers_validation_or_permission_error_becomes_an_error_frame(
    sockets, tcast, board, text, code, detail
):
    socket = await sockets.open(tcast.member)
    await socket.subscribe(board)
    await socket.send({"type": "note.post", "topic": board, "text": text, "ref": 7, "client_id": "c-2"})
    assert await socket.receive() == {
        "type": "error",
        "ref": 7,
        "client_id": "c-2",
        "code": code,
        "detail": detail,
    }
    await socket.send({"type": "ping", "ref": "still"})
    assert await socket.receive() == {"type": "pong", "ref": "still"}


async def test_an_app_frame_needs_a_subscription_to_its_topic(sockets, tcast, board):
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "note.post", "topic": board, "text": "hi", "client_id": "c-3"})
    error = await socket.receive()
    assert (error["code"], error["client_id"]) == ("forbidden", "c-3")


async def test_an_app_frame_is_refused_on_a_topic_kind_that_does_not_take_it(sockets, tcast, board):
    socket = await sockets.open(tcast.member)
    await socket.subscribe(tcast.studio1.topic)
    await socket.send({"type": "note.post", "topic": tcast.studio1.topic, "text": "hi", "ref": "x"})
    error = await socket.receive()
    assert (error["code"], error["ref"]) == ("forbidden", "x")
    assert "note.post" in error["detail"]


async def test_a_kind_may_opt_in_to_a_frame_type_it_does_not_own(sockets, tcast, topic_kind, frame_handler):
    async def poke(frame, context):
        await context.ack(topic=context.topic)

    frame_handler("poke", poke)
    topic_kind("pokeable", frame_types=["poke"])
    socket = await sockets.open(tcast.member)
    await socket.subscribe("pokeable:1")
    await socket.send({"type": "poke", "topic": "pokeable:1", "ref": "p"})
    assert await socket.receive() == {"type": "ack", "ref": "p", "topic": "pokeable:1"}


def test_registering_a_topic_kind_or_frame_type_twice_raises(topic_kind, frame_handler):
    topic_kind("twice")
    with pytest.raises(ImproperlyConfigured):
        register_topic_kind("twice", authorize=lambda user, key: None)
    with pytest.raises(ImproperlyConfigured):
        register_topic_kind("user", authorize=lambda user, key: None)
    frame_handler("twice.send", post_note)
    with pytest.raises(ImproperlyConfigured):
        register_frame_handler("twice.send", post_note)
    with pytest.raises(ImproperlyConfigured):
        register_frame_handler("typing", post_note)


@pytest.mark.parametrize("frame_type", ["ping", "ack", "subscribe", "unsubscribe"])
def test_no_app_may_take_over_a_protocol_frame_type(frame_type):
    with pytest.raises(ImproperlyConfigured):
        register_frame_handler(frame_type, post_note)


def test_what_is_registered_for_one_test_is_gone_after_it():
    with registered_topic_kind("passing", authorize=lambda user, key: None):
        assert parse_topic("passing:1")[0].prefix == "passing"
    with pytest.raises(TopicNotFound):
        parse_topic("passing:1")
    with registered_frame_handler("passing.send", post_note):
        assert find_frame_type("passing.send") is not None
    assert find_frame_type("passing.send") is None


def test_the_event_an_app_handler_stores_is_captured_with_its_shape(tcast, topic_kind):
    topic_kind("pinboard")
    with capture_events() as captured:
        board_note_add(user=tcast.member, board="9", text="a note")
    assert captured.names() == ["board.note_added"]
    assert captured.events[0].topic == "pinboard:9"
    assert captured.events[0].data == {"text": "a note", "by": tcast.member.pk}
