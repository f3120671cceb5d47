"""Reconnecting in a loop is bounded: handshakes per user and per address (settings.REALTIME)."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from platform_core.asgi import application
from tests.ws import ORIGIN, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

CLOSE_TOO_MANY_HANDSHAKES = 4029


async def handshake(user, address: str = "10.0.0.1", forwarded_for: str = "") -> int | None:
    """Open a socket and close it; None if it was let in, else the close code it got."""
    cookie = await sync_to_async(session_cookie)(user)
    headers = [(b"origin", ORIGIN), (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode())]
    if forwarded_for:
        headers.append((b"x-forwarded-for", forwarded_for.encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    communicator.scope["client"] = [address, 50000]
    try:
        connected, _ = await communicator.connect()
        assert connected
        first = await communicator.receive_output(timeout=2)
        if first["type"] == "websocket.close":
            return first["code"]
        return None
    finally:
        await communicator.disconnect()


async def test_a_user_reconnecting_in_a_loop_is_told_to_back_off(tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "HANDSHAKES_PER_USER": 3}
    answers = [await handshake(tcast.member, f"10.0.0.{n}") for n in range(5)]
    assert answers == [None, None, None, CLOSE_TOO_MANY_HANDSHAKES, CLOSE_TOO_MANY_HANDSHAKES]
    # Another user is not affected.
    assert await handshake(tcast.leader1) is None


async def test_one_address_cannot_open_sockets_without_bound_across_users(tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "HANDSHAKES_PER_ADDRESS": 2}
    users = [tcast.member, tcast.leader1, tcast.leader2]
    answers = [await handshake(user, "10.0.0.9") for user in users]
    assert answers == [None, None, CLOSE_TOO_MANY_HANDSHAKES]
    assert await handshake(tcast.leader2, "10.0.0.10") is None


async def test_the_limit_counts_per_window(tcast, settings):
    settings.REALTIME = {**settings.REALTIME, "HANDSHAKES_PER_USER": 1, "HANDSHAKE_WINDOW_SECONDS": 1}
    await asyncio.sleep(1 - time.time() % 1)  # at the start of a window
    assert await handshake(tcast.member) is None
    assert await handshake(tcast.member) == CLOSE_TOO_MANY_HANDSHAKES
    await asyncio.sleep(1 - time.time() % 1)  # the next window
    assert await handshake(tcast.member) is None


async def test_behind_the_proxy_the_forwarded_address_is_counted(tcast, settings):
    settings.USE_X_FORWARDED_FOR = True
    settings.REALTIME = {**settings.REALTIME, "HANDSHAKES_PER_ADDRESS": 1}
    # Every socket reaches daphne from the proxy's address; each client is its own.
    assert await handshake(tcast.member, "127.0.0.1", forwarded_for="10.1.1.1") is None
    assert await handshake(tcast.leader1, "127.0.0.1", forwarded_for="10.1.1.2") is None
    assert (
        await handshake(tcast.leader2, "127.0.0.1", forwarded_for="forged, 10.1.1.2")
        == CLOSE_TOO_MANY_HANDSHAKES
    )


async def test_the_limit_still_counts_while_the_cache_is_unreachable(tcast, settings, unreachable_cache):
    # Like the login brake: each process counts on its own until Redis answers again.
    settings.REALTIME = {**settings.REALTIME, "HANDSHAKES_PER_USER": 2}
    answers = [await handshake(tcast.member, f"10.0.1.{n}") for n in range(3)]
    assert answers == [None, None, CLOSE_TOO_MANY_HANDSHAKES]
