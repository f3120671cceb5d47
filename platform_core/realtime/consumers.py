"""The one websocket of a browser tab: `/ws/`, JSON frames, many topic subscriptions.

A plain ASGI application rather than a Channels consumer: it needs no channel of its own (the
process's Hub receives from the channel layer for everyone), and it should not pay a thread hop per
incoming frame. The protocol is in docs/realtime.md.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from functools import partial
from importlib import import_module

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.conf import settings

from . import services
from .hub import Subscription, get_hub
from .registry import TopicError, authorize_subscription, parse_topic

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REAUTHENTICATE = 4001  # logged out, password changed or disabled elsewhere
CLOSE_POLICY = 4008  # too many bad frames
CLOSE_TOO_LARGE = 4009  # a frame far above the limit: not a mistake


class ProtocolError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def _ref(frame: dict):
    ref = frame.get("ref")
    if ref is None or (isinstance(ref, str | int) and not isinstance(ref, bool) and len(str(ref)) <= 64):
        return ref
    raise ProtocolError("invalid", "ref must be a string or integer of at most 64 characters")


class RealtimeConnection:
    def __init__(self, scope: dict, send) -> None:
        self.scope = scope
        self._send = send
        self.conn_id = uuid.uuid4().hex
        self.user = scope.get("user")
        self.user_id = getattr(self.user, "pk", None)
        session = scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.subscriptions: dict[str, Subscription] = {}
        self.closed = False
        self.limits = settings.REALTIME
        self.bucket = TokenBucket(self.limits["RATE"], self.limits["BURST"])
        self.errors = 0
        # Created inside the running event loop (see as_asgi), so this is the loop's hub.
        self.hub = get_hub()

    @classmethod
    def as_asgi(cls):
        async def app(scope, receive, send):
            await cls(scope, send).run(receive)

        return app

    async def run(self, receive) -> None:
        try:
            while True:
                message = await receive()
                kind = message["type"]
                if kind == "websocket.connect":
                    if not await self.on_connect():
                        return
                elif kind == "websocket.receive":
                    await self.on_frame(message.get("text"), message.get("bytes"))
                    if self.closed:
                        return
                elif kind == "websocket.disconnect":
                    return
        finally:
            self.closed = True
            await self.drop_all()

    async def on_connect(self) -> bool:
        if self.user is None or not self.user.is_authenticated or not self.user.is_active:
            # Closing before accepting makes daphne refuse the handshake (HTTP 403).
            await self._send({"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED})
            return False
        await self._send({"type": "websocket.accept"})
        # Notifications need no request from the page: every socket listens to its user's topic.
        await self.subscribe(f"user:{self.user_id}", since=None, ref=None)
        return True

    # Sending ---------------------------------------------------------------------------------

    async def send_text(self, text: str) -> None:
        if not self.closed:
            await self._send({"type": "websocket.send", "text": text})

    async def send_frame(self, frame: dict) -> None:
        await self.send_text(json.dumps(frame, ensure_ascii=False, separators=(",", ":")))

    async def close(self, code: int) -> None:
        if not self.closed:
            await self._send({"type": "websocket.close", "code": code})
            self.closed = True

    async def subscription_revoked(self, sub: Subscription) -> None:
        # The hub may revoke a subscription still replaying, before subscribe() stored it.
        if self.subscriptions.get(sub.topic) is sub:
            del self.subscriptions[sub.topic]
        await self.send_frame({"type": "unsubscribed", "topic": sub.topic, "reason": "forbidden"})

    async def close_for_reauthentication(self) -> None:
        # 4001: the page reconnects at once; the handshake admits it only with a valid session.
        await self.close(CLOSE_REAUTHENTICATE)

    async def recheck(self) -> None:
        """Check again that the session is valid and every subscription still allowed."""
        if self.closed:
            return
        user = await get_user({"session": self.session_store(self.session_key)})
        if not user.is_authenticated or user.pk != self.user_id or not user.is_active:
            await self.close_for_reauthentication()
            return
        self.user = user
        subscriptions = list(self.subscriptions.values())
        forbidden = await database_sync_to_async(self._forbidden_among)(subscriptions)
        for sub in forbidden:
            await self.hub._revoke(sub)

    @staticmethod
    def _forbidden_among(subscriptions: list[Subscription]) -> list[Subscription]:
        forbidden = []
        for sub in subscriptions:
            try:
                sub.authorize()
            except TopicError:
                forbidden.append(sub)
        return forbidden

    # Receiving ---------------------------------------------------------------------------------

    async def on_frame(self, text: str | None, data: bytes | None) -> None:
        ref = None
        try:
            if text is None:
                raise ProtocolError("invalid", "binary frames are not supported; send JSON text")
            size = len(text.encode("utf-8"))
            if size > 16 * self.limits["MAX_FRAME_BYTES"]:
                await self.close(CLOSE_TOO_LARGE)
                return
            if size > self.limits["MAX_FRAME_BYTES"]:
                raise ProtocolError(
                    "too_large", f"frames are limited to {self.limits['MAX_FRAME_BYTES']} bytes"
                )
            if not self.bucket.take():
                raise ProtocolError("rate_limited", "too many frames; slow down")
            try:
                frame = json.loads(text)
            except ValueError as exc:
                raise ProtocolError("invalid", "frame is not valid JSON") from exc
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                raise ProtocolError("invalid", "frame must be a JSON object with a string 'type'")
            ref = _ref(frame)
            handler = self.handlers.get(frame["type"])
            if handler is None:
                raise ProtocolError("invalid", f"unknown frame type {frame['type']!r}")
            await handler(self, frame, ref)
        except ProtocolError as error:
            await self.send_frame({"type": "error", "ref": ref, "code": error.code, "detail": error.detail})
            self.errors += 1
            if self.errors > self.limits["MAX_ERRORS"]:
                await self.close(CLOSE_POLICY)

    async def handle_ping(self, frame: dict, ref) -> None:
        await self.send_frame({"type": "pong", "ref": ref})

    async def handle_subscribe(self, frame: dict, ref) -> None:
        topic = frame.get("topic")
        if not isinstance(topic, str):
            raise ProtocolError("invalid", "topic must be a string like 'room:42'")
        since = frame.get("since")
        if since is not None and (not isinstance(since, int) or isinstance(since, bool) or since < 0):
            raise ProtocolError("invalid", "since must be a non-negative integer or null")
        if topic not in self.subscriptions and len(self.subscriptions) >= self.limits["MAX_SUBSCRIPTIONS"]:
            raise ProtocolError("invalid", "too many subscriptions on one connection")
        try:
            # A first check before joining anything; the hub checks again after attaching.
            await database_sync_to_async(authorize_subscription)(self.user, topic)
            await self.subscribe(topic, since=since, ref=ref)
        except TopicError as error:
            raise ProtocolError(error.code, str(error) or error.code) from error

    async def subscribe(self, topic: str, *, since: int | None, ref) -> None:
        previous = self.subscriptions.pop(topic, None)
        if previous is not None:
            # A resubscribe (say with an older since) replaces the old subscription.
            await self.hub.unsubscribe(previous)
        sub = await self.hub.subscribe(
            self, topic, since, ref, authorize=partial(authorize_subscription, self.user, topic)
        )
        if not sub.closed:  # revoked while it replayed: the client has had its `unsubscribed`
            self.subscriptions[topic] = sub

    async def handle_unsubscribe(self, frame: dict, ref) -> None:
        topic = frame.get("topic")
        if topic == f"user:{self.user_id}":
            # The user topic is how every process reaches this socket (notifications, closing it
            # when the session ends); it stays for the socket's life.
            raise ProtocolError("invalid", "the socket's own user topic cannot be unsubscribed")
        sub = self.subscriptions.pop(topic, None) if isinstance(topic, str) else None
        if sub is None:
            raise ProtocolError("not_found", "not subscribed to that topic")
        await self.hub.unsubscribe(sub)
        await self.send_frame({"type": "unsubscribed", "topic": topic, "ref": ref, "reason": "requested"})

    async def handle_typing(self, frame: dict, ref) -> None:
        topic = frame.get("topic")
        sub = self.subscriptions.get(topic) if isinstance(topic, str) else None
        if sub is None or sub.closed:
            raise ProtocolError("forbidden", "subscribe to the topic first")
        try:
            kind, _key = parse_topic(sub.topic)
        except TopicError as error:
            raise ProtocolError(error.code, str(error)) from error
        if not kind.allow_typing:
            raise ProtocolError("forbidden", "this topic takes no typing indicators")
        await services.publish_ephemeral(
            sub.topic,
            "typing",
            {"user_id": self.user_id, "name": str(self.user)},
            sender=self.conn_id,
        )

    handlers = {
        "ping": handle_ping,
        "subscribe": handle_subscribe,
        "unsubscribe": handle_unsubscribe,
        "typing": handle_typing,
    }

    async def drop_all(self) -> None:
        subscriptions, self.subscriptions = list(self.subscriptions.values()), {}
        for sub in subscriptions:
            try:
                await self.hub.unsubscribe(sub)
            except Exception:
                logger.exception("could not drop subscription to %s", sub.topic)
