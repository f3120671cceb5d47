"""Helpers for websocket tests against the real ASGI application (middleware included)."""

from __future__ import annotations

import asyncio
import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from platform_core.asgi import application

ORIGIN = b"http://testserver"


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Socket:
    """A WebsocketCommunicator that speaks JSON frames."""

    def __init__(self, communicator: WebsocketCommunicator, session_cookie: str | None = None) -> None:
        self.communicator = communicator
        self.session_cookie = session_cookie
        self.closed = False

    async def send(self, frame: dict) -> None:
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def send_raw(self, text: str | None = None, data: bytes | None = None) -> None:
        await self.communicator.send_to(text_data=text, bytes_data=data)

    async def receive(self, timeout: float = 2) -> dict:
        text = await self.communicator.receive_from(timeout=timeout)
        # A real server must encode the text as UTF-8 (daphne closes with 1011 when it cannot);
        # the test communicator would pass anything along.
        text.encode("utf-8")
        return json.loads(text)

    async def receive_until(self, predicate, timeout: float = 3) -> list[dict]:
        frames = []
        while True:
            frame = await self.receive(timeout=timeout)
            frames.append(frame)
            if predicate(frame):
                return frames

    async def nothing_more(self, timeout: float = 0.2) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def subscribe(self, topic: str, since: int | None = None, ref: str = "r1") -> dict:
        await self.send({"type": "subscribe", "topic": topic, "since": since, "ref": ref})
        return await self.receive()

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        application = self.communicator.future
        if application.done():
            # Already over: a receive that timed out cancels the application (asgiref), and
            # disconnecting then raises CancelledError. An application that crashed says so.
            if not application.cancelled() and application.exception() is not None:
                raise application.exception()  # type: ignore[misc]
            return
        await self.communicator.disconnect()


async def open_socket(user=None, *, origin: bytes | None = ORIGIN, expect_refusal: bool = False):
    headers = []
    cookie = None
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, code = await communicator.connect()
    if expect_refusal:
        assert not connected, "the handshake should have been refused"
        await communicator.wait()
        return code
    assert connected, f"handshake refused with {code}"
    socket = Socket(communicator, cookie)
    hello = await socket.receive()
    assert hello["type"] == "subscribed" and hello["topic"] == f"user:{user.pk}", hello
    return socket


class Sockets:
    """Opens sockets for one test and closes every one of them at its end (the `sockets`
    fixture), whether the test passed or failed."""

    def __init__(self) -> None:
        self.opened: list[Socket] = []

    async def open(self, user=None, **options) -> Socket:
        socket = await open_socket(user, **options)
        self.opened.append(socket)
        return socket

    async def close_all(self) -> None:
        """Close every socket, then report the first that could not be closed, as an ordinary
        error: a BaseException (CancelledError) escaping a fixture's teardown makes pytest skip
        the teardowns after it, the database flush among them, and every later test then fails
        at setup on the rows this one left."""
        failures: list[BaseException] = []
        for socket in self.opened:
            try:
                await socket.close()
            except (Exception, asyncio.CancelledError) as failure:
                failures.append(failure)
        if failures:
            raise RuntimeError(f"{len(failures)} socket(s) could not be closed cleanly") from failures[0]
