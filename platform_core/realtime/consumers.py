"""The one websocket of a browser tab: `/ws/`, JSON frames, many topic subscriptions.

A plain ASGI application rather than a Channels consumer: it needs no channel of its own (the
process's Hub receives from the channel layer for everyone), and it should not pay a thread hop per
incoming frame. It is transport only: it speaks the protocol (ping, ack, subscribe, unsubscribe)
and hands every other frame type to the handler an app registered for it (registry.py). The
protocol is in docs/realtime.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from functools import partial
from importlib import import_module
from types import MappingProxyType
from typing import Any

from channels.auth import get_user
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from platform_core import metrics
from platform_core.http import trusted_client_ip

from . import frames
from .dbthreads import db_async
from .frames import FrameError, Ref
from .hub import Subscription, get_hub
from .limits import SendWindow, TokenBucket, handshake_allowed
from .registry import (
    FrameContext,
    FrameType,
    TopicError,
    authorize_subscription,
    find_frame_type,
    parse_topic,
)
from .topics import user_topic

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REAUTHENTICATE = 4001  # logged out, password changed or disabled elsewhere
CLOSE_POLICY = 4008  # too many bad frames
CLOSE_TOO_LARGE = 4009  # a frame far above the limit: not a mistake
CLOSE_TOO_FAR_BEHIND = 4010  # the client stopped reading: reconnect and resubscribe with `since`
CLOSE_TOO_MANY_HANDSHAKES = 4029  # reconnecting in a loop: back off, then reconnect
CLOSE_TRY_AGAIN_LATER = 4013  # the socket could not be set up (database away): reconnect

SERVER_ERROR_DETAIL = "the server could not handle this frame; try again"


def _echoed(frame: dict, field: str) -> Ref:
    """A `ref` or `client_id`: the client's own label, echoed in the answer."""
    value = frame.get(field)
    if value is None or (
        isinstance(value, str | int) and not isinstance(value, bool) and len(str(value)) <= 64
    ):
        return value
    raise FrameError("invalid", f"{field} must be a string or integer of at most 64 characters")


def _client_address(scope: dict) -> str | None:
    client = scope.get("client")
    forwarded = b",".join(value for name, value in scope.get("headers", []) if name == b"x-forwarded-for")
    return trusted_client_ip(str(client[0]) if client else "", forwarded.decode("latin1"))


class RealtimeConnection:
    def __init__(self, scope: dict, send) -> None:
        self.scope = scope
        self._send = send
        self.conn_id = uuid.uuid4().hex
        self.user = scope.get("user")
        self.user_id = getattr(self.user, "pk", None)
        session = scope.get("session")
        self.session_key: str | None = getattr(session, "session_key", None)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.subscriptions: dict[str, Subscription] = {}
        # user:<id>, set once the handshake is accepted.
        self.own_topic = ""
        self.closed = False
        self.limits = settings.REALTIME
        self.bucket = TokenBucket(self.limits["RATE"], self.limits["BURST"])
        self.window = SendWindow()
        self.errors = 0
        # Frames admitted (charged to the bucket on arrival) and not yet handled, in order; the
        # worker task handles them one at a time while the reader keeps receiving, so a frame is
        # charged when it arrives, not when its turn comes (docs/realtime.md, "Limits").
        self.inbox: asyncio.Queue[tuple[dict, Ref, Ref] | None] = asyncio.Queue()
        self.pending = 0
        # Created inside the running event loop (see as_asgi), so this is the loop's hub.
        self.hub = get_hub()

    @classmethod
    def as_asgi(cls):
        async def app(scope, receive, send):
            await cls(scope, send).run(receive)

        return app

    async def run(self, receive) -> None:
        worker: asyncio.Task | None = None
        try:
            while True:
                message = await receive()
                kind = message["type"]
                if kind == "websocket.connect":
                    if not await self.on_connect():
                        return
                    worker = asyncio.create_task(self.work())
                elif kind == "websocket.receive":
                    await self.on_frame(message.get("text"), message.get("bytes"))
                    if self.closed:
                        return
                elif kind == "websocket.disconnect":
                    return
        except asyncio.CancelledError:
            # The server gave up on the application: do not wait for the frame being handled.
            if worker is not None:
                worker.cancel()
            raise
        finally:
            self.closed = True
            if worker is not None:
                await self.stop_worker(worker)
            await self.drop_all()

    async def work(self) -> None:
        """Handle the admitted frames in the order they arrived, one at a time."""
        while (item := await self.inbox.get()) is not None:
            try:
                if not self.closed:
                    await self.handle(*item)
            finally:
                self.pending -= 1

    async def stop_worker(self, worker: asyncio.Task) -> None:
        # The frame being handled finishes (a half-run handler could leave half a write); the
        # frames still waiting have had no answer, and the client that left or was closed sends
        # them again (the page resends unacknowledged messages with the same client_id).
        while not self.inbox.empty():
            self.inbox.get_nowait()
        self.inbox.put_nowait(None)
        with contextlib.suppress(asyncio.CancelledError):
            await worker

    async def on_connect(self) -> bool:
        if self.user is None or not self.user.is_authenticated or not self.user.is_active:
            # Closing before accepting makes daphne refuse the handshake (HTTP 403).
            await self._send({"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED})
            return False
        allowed = await db_async(handshake_allowed)(self.user.pk, _client_address(self.scope), self.limits)
        await self._send({"type": "websocket.accept"})
        if not allowed:
            # Accepted only to say why (a refused handshake reaches a page as a bare 1006).
            await self.close(CLOSE_TOO_MANY_HANDSHAKES)
            return False
        try:
            # Notifications need no request from the page: every socket listens to its user's
            # topic, which is also how every process reaches this socket.
            self.own_topic = user_topic(self.user.pk)
            await self.subscribe(self.own_topic, since=None, ref=None)
        except Exception:
            logger.exception("could not subscribe a new socket to its user topic")
            await self.close(CLOSE_TRY_AGAIN_LATER)
            return False
        return True

    # Sending ---------------------------------------------------------------------------------

    async def send_text(self, text: str) -> None:
        if self.closed:
            return
        await self._send({"type": "websocket.send", "text": text})
        if self.window.record(frames.encoded_size(text)) > self.limits["MAX_UNACKED_BYTES"]:
            logger.info("closing a socket of user %s that stopped reading", self.user_id)
            await self.close(CLOSE_TOO_FAR_BEHIND)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send_text(frames.encode(frame))

    async def close(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            metrics.SOCKET_CLOSES.labels(str(code)).inc()
            await self._send({"type": "websocket.close", "code": code})

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
        user = await db_async(get_user.func)({"session": self.session_store(self.session_key)})
        if not user.is_authenticated or user.pk != self.user_id or not user.is_active:
            await self.close_for_reauthentication()
            return
        self.user = user
        subscriptions = list(self.subscriptions.values())
        forbidden = await db_async(self._forbidden_among)(subscriptions)
        for sub in forbidden:
            await self.hub.revoke(sub)

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
        """Admit one client frame as it arrives: parse it, charge it to the rate limit, and queue
        it for the worker; or answer at once with an `error` frame. Only abuse (too many errors,
        a giant frame) closes the connection."""
        ref: Ref = None
        client_id: Ref = None
        try:
            if text is None:
                raise FrameError("invalid", "binary frames are not supported; send JSON text")
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > 16 * self.limits["MAX_FRAME_BYTES"]:
                await self.close(CLOSE_TOO_LARGE)
                return
            if size > self.limits["MAX_FRAME_BYTES"]:
                raise FrameError("too_large", f"frames are limited to {self.limits['MAX_FRAME_BYTES']} bytes")
            try:
                frame = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise FrameError("invalid", "frame is not valid JSON") from exc
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                raise FrameError("invalid", "frame must be a JSON object with a string 'type'")
            ref = _echoed(frame, "ref")
            client_id = _echoed(frame, "client_id")
            if frame["type"] == "ack":
                # Flow control, not a request: exempt from the rate limit, so a client reading
                # a busy topic fast can always say so.
                self.window.acknowledge(frame.get("received"))
                return
            # Charged here, on arrival: charged when its turn came, a burst sent at once would
            # earn back tokens while the frames before it were handled (150 chat messages were
            # all accepted that way).
            if not self.bucket.take():
                raise FrameError("rate_limited", "too many frames; slow down")
            # The bucket admits RATE frames a second however slowly they are handled (a slow
            # database); the queue behind it is bounded too, so the server never holds more than
            # MAX_PENDING_FRAMES of one connection's frames.
            if self.pending >= self.limits["MAX_PENDING_FRAMES"]:
                raise FrameError("rate_limited", "too many frames waiting to be handled; slow down")
        except FrameError as error:
            await self.refuse(error, ref, client_id)
            return
        self.pending += 1
        self.inbox.put_nowait((frame, ref, client_id))

    async def refuse(self, error: FrameError, ref: Ref, client_id: Ref) -> None:
        metrics.FRAMES_REFUSED.labels(error.code).inc()
        await self.send_frame(frames.error(error.code, error.detail, ref=ref, client_id=client_id))
        self.errors += 1
        if self.errors > self.limits["MAX_ERRORS"]:
            await self.close(CLOSE_POLICY)

    async def handle(self, frame: dict, ref: Ref, client_id: Ref) -> None:
        """Answer one admitted frame. Whatever goes wrong with it ends in an `error` frame."""
        try:
            await self.dispatch(frame, ref, client_id)
        except FrameError as error:
            await self.refuse(error, ref, client_id)
        except Exception:
            # The server's fault (the database went away mid-subscribe, say), not the client's:
            # it may simply try again, and it is not counted against it.
            logger.exception("realtime frame of user %s failed", self.user_id)
            metrics.FRAMES_REFUSED.labels("server_error").inc()
            await self.send_frame(
                frames.error("server_error", SERVER_ERROR_DETAIL, ref=ref, client_id=client_id)
            )

    async def dispatch(self, frame: dict, ref: Ref, client_id: Ref) -> None:
        kind = frame["type"]
        if kind == "ping":
            await self.send_frame({"type": "pong", "ref": ref})
        elif kind == "subscribe":
            await self.handle_subscribe(frame, ref)
        elif kind == "unsubscribe":
            await self.handle_unsubscribe(frame, ref)
        else:
            registered = find_frame_type(kind)
            if registered is None:
                raise FrameError("invalid", f"unknown frame type {kind!r}")
            await self.handle_registered(registered, frame, ref, client_id)

    async def handle_subscribe(self, frame: dict, ref: Ref) -> None:
        topic = frame.get("topic")
        if not isinstance(topic, str):
            raise FrameError("invalid", "topic must be a string like 'room:42'")
        since = frame.get("since")
        if since is not None and (not isinstance(since, int) or isinstance(since, bool) or since < 0):
            raise FrameError("invalid", "since must be a non-negative integer or null")
        if topic not in self.subscriptions and len(self.subscriptions) >= self.limits["MAX_SUBSCRIPTIONS"]:
            raise FrameError("invalid", "too many subscriptions on one connection")
        try:
            # A first check before joining anything; the hub checks again after attaching.
            await db_async(authorize_subscription)(self.user, topic)
            await self.subscribe(topic, since=since, ref=ref)
        except TopicError as error:
            raise FrameError(error.code, str(error) or error.code) from error

    async def subscribe(self, topic: str, *, since: int | None, ref: Ref) -> None:
        previous = self.subscriptions.pop(topic, None)
        if previous is not None:
            # A resubscribe (say with an older since) replaces the old subscription.
            await self.hub.unsubscribe(previous)
        sub = await self.hub.subscribe(
            self, topic, since, ref, authorize=partial(authorize_subscription, self.user, topic)
        )
        if not sub.closed:  # revoked while it replayed: the client has had its `unsubscribed`
            self.subscriptions[topic] = sub

    async def handle_unsubscribe(self, frame: dict, ref: Ref) -> None:
        topic = frame.get("topic")
        if topic == self.own_topic:
            # The user topic is how every process reaches this socket (notifications, closing it
            # when the session ends); it stays for the socket's life.
            raise FrameError("invalid", "the socket's own user topic cannot be unsubscribed")
        sub = self.subscriptions.pop(topic, None) if isinstance(topic, str) else None
        if sub is None:
            raise FrameError("not_found", "not subscribed to that topic")
        await self.hub.unsubscribe(sub)
        await self.send_frame({"type": "unsubscribed", "topic": topic, "ref": ref, "reason": "requested"})

    async def handle_registered(self, registered: FrameType, frame: dict, ref: Ref, client_id: Ref) -> None:
        """An app's frame type: only about a topic this socket follows, of a kind that takes it."""
        topic = frame.get("topic")
        if not isinstance(topic, str):
            raise FrameError("invalid", "topic must be a string like 'room:42'")
        sub = self.subscriptions.get(topic)
        if sub is None or sub.closed:
            raise FrameError("forbidden", "subscribe to the topic first")
        try:
            kind, key = parse_topic(topic)
        except TopicError as error:
            raise FrameError(error.code, str(error)) from error
        if not registered.accepts(kind):
            raise FrameError("forbidden", f"this topic takes no {registered.name!r} frames")
        context = FrameContext(
            user=self.user,
            topic=topic,
            key=key,
            ref=ref,
            client_id=client_id,
            connection_id=self.conn_id,
            send=self.send_frame,
            subscriptions=MappingProxyType(self.subscriptions),
        )
        try:
            await registered.handler(frame, context)
        except ValidationError as error:
            raise FrameError("invalid", "; ".join(error.messages)) from error
        except PermissionDenied as error:
            raise FrameError("forbidden", str(error) or "you may not do that here") from error
        except ObjectDoesNotExist as error:
            raise FrameError("not_found", str(error) or "no such object") from error

    async def drop_all(self) -> None:
        subscriptions, self.subscriptions = list(self.subscriptions.values()), {}
        for sub in subscriptions:
            try:
                await self.hub.unsubscribe(sub)
            except Exception:
                logger.exception("could not drop subscription to %s", sub.topic)
