"""The process-local fan-out of live events.

Each process (each event loop) has one Hub. The hub, not every socket, is what joins the channel
layer: one channel per process, added once to the group of each topic that has at least one local
subscriber. So a published event crosses Redis once per process, not once per socket; the hub
serialises it to JSON once and writes the same text to every local subscriber directly.

Each Subscription remembers the last seq it delivered. Live frames are written only when they are
the next one; an older one is a duplicate (dropped); a newer one means a gap (events published by
another process may arrive out of order), which is filled from the database, where every event
is stored before it is published. While a subscription replays from the database, live frames wait
in its pending list, so replay and live join with no gap and no duplicate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import groups, selectors

logger = logging.getLogger(__name__)

# Groups in channels_redis expire (group_expiry, one day by default); re-join well before that.
GROUP_REFRESH_SECONDS = 3600


class Connection(Protocol):
    user_id: int | None
    conn_id: str

    async def send_text(self, text: str) -> None: ...

    async def subscription_revoked(self, topic: str) -> None: ...


class Subscription:
    __slots__ = ("closed", "connection", "last", "live", "pending", "topic")

    def __init__(self, connection: Connection, topic: str) -> None:
        self.connection = connection
        self.topic = topic
        self.last = 0
        self.live = False
        self.pending: list[tuple[int, str]] = []
        self.closed = False


def _dumps(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Hub:
    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel_name = ""
        self.local: dict[str, set[Subscription]] = {}
        self.frames_written = 0
        self._reader: asyncio.Task | None = None
        self._refresher: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        # Serialises group_add/group_discard so a discard for the last subscriber can never land
        # after the add for the next one (the process would silently stop receiving the topic).
        self._membership = asyncio.Lock()
        self._started = asyncio.Lock()

    @property
    def replay_limit(self) -> int:
        return settings.REALTIME["REPLAY_LIMIT"]

    async def start(self) -> None:
        async with self._started:
            if self._reader is None:
                self.channel_name = await self.layer.new_channel("rt-hub.")
                self._reader = asyncio.create_task(self._read_loop(), name="realtime-hub-reader")
                self._refresher = asyncio.create_task(self._refresh_loop(), name="realtime-hub-refresh")

    async def stop(self) -> None:
        """Stop reading from the channel layer (the hub restarts on the next subscribe)."""
        tasks = [task for task in (self._reader, self._refresher, *self._tasks) if task is not None]
        self._reader = self._refresher = None
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)

    # Subscribing ----------------------------------------------------------------------------

    async def subscribe(self, connection: Connection, topic: str, since: int | None, ref) -> Subscription:
        """Attach, send `subscribed`, replay what the client lacks, then deliver live.

        The caller has already checked that the connection's user may see the topic.
        """
        sub = Subscription(connection, topic)
        await self._attach(sub)
        try:
            # Read the database only after joining the group: anything committed later arrives
            # live (and waits in pending), anything committed earlier is in this read.
            head, frames = await database_sync_to_async(selectors.replay_window)(
                topic, since, limit=self.replay_limit
            )
            await connection.send_text(
                _dumps({"type": "subscribed", "topic": topic, "ref": ref, "head": head})
            )
            if frames is None:
                await connection.send_text(_dumps({"type": "resync", "topic": topic, "head": head}))
                sub.last = head
            else:
                sub.last = head if since is None else since
                await self._send_frames(sub, frames)
            await self._drain(sub)
        except BaseException:
            await self.unsubscribe(sub)
            raise
        return sub

    async def unsubscribe(self, sub: Subscription) -> None:
        sub.closed = True
        async with self._membership:
            subs = self.local.get(sub.topic)
            if subs is None or sub not in subs:
                return
            subs.discard(sub)
            if not subs:
                del self.local[sub.topic]
                await self.layer.group_discard(groups.group_for_topic(sub.topic), self.channel_name)
            if not self.local:
                # No local subscriber left: a process with no sockets need not read the layer.
                await self.stop()

    async def _attach(self, sub: Subscription) -> None:
        await self.start()
        async with self._membership:
            subs = self.local.get(sub.topic)
            if subs is None:
                await self.layer.group_add(groups.group_for_topic(sub.topic), self.channel_name)
                subs = self.local[sub.topic] = set()
            subs.add(sub)

    # Delivering ------------------------------------------------------------------------------

    async def _send_frames(self, sub: Subscription, frames: list[tuple[int, str]]) -> None:
        for seq, text in frames:
            if sub.closed:
                return
            if seq <= sub.last:
                continue
            await sub.connection.send_text(text)
            self.frames_written += 1
            sub.last = seq

    async def _drain(self, sub: Subscription) -> None:
        """Deliver what waited in pending, filling gaps from the database, then go live."""
        while not sub.closed:
            pending, sub.pending = sorted(sub.pending), []
            for index, (seq, text) in enumerate(pending):
                if seq <= sub.last:
                    continue
                if seq != sub.last + 1:
                    # Events before `seq` are committed (seq is allocated under the topic lock),
                    # so the database has them even if their live copy has not arrived yet.
                    sub.pending = pending[index:] + sub.pending
                    await self._fill_gap(sub, seq)
                    break
                await sub.connection.send_text(text)
                self.frames_written += 1
                sub.last = seq
            else:
                if not sub.pending:
                    # No await between the check and the switch: no frame can slip in between.
                    sub.live = True
                    return

    async def _fill_gap(self, sub: Subscription, upto: int) -> None:
        missing = upto - sub.last - 1
        if missing > self.replay_limit:
            await sub.connection.send_text(_dumps({"type": "resync", "topic": sub.topic, "head": upto - 1}))
            sub.last = upto - 1
            return
        frames = await database_sync_to_async(selectors.replay_frames)(sub.topic, sub.last, limit=missing)
        await self._send_frames(sub, frames)

    async def _deliver_event(self, message: dict) -> None:
        topic = message["topic"]
        subs = self.local.get(topic)
        if not subs:
            return
        seq = message["seq"]
        # Serialised once per process, whatever the number of local subscribers.
        text = selectors.encode_event_frame(topic, seq, message["event"], message["data"])
        for sub in tuple(subs):
            if not sub.live:
                sub.pending.append((seq, text))
            elif seq == sub.last + 1:
                sub.last = seq
                await sub.connection.send_text(text)
                self.frames_written += 1
            elif seq > sub.last + 1:
                sub.live = False
                sub.pending.append((seq, text))
                self._spawn(self._drain_safely(sub))
            # seq <= last: already delivered by replay or gap fill.

    async def _deliver_ephemeral(self, message: dict) -> None:
        subs = self.local.get(message["topic"])
        if not subs:
            return
        text = _dumps(
            {
                "type": "ephemeral",
                "topic": message["topic"],
                "event": message["event"],
                "data": message["data"],
            }
        )
        sender = message.get("sender")
        for sub in tuple(subs):
            if sub.connection.conn_id != sender:
                await sub.connection.send_text(text)

    async def _revoke(self, message: dict) -> None:
        user_ids = set(message["user_ids"])
        for sub in tuple(self.local.get(message["topic"], ())):
            if sub.connection.user_id in user_ids:
                await self.unsubscribe(sub)
                await sub.connection.subscription_revoked(sub.topic)

    async def _drain_safely(self, sub: Subscription) -> None:
        try:
            await self._drain(sub)
        except Exception:
            logger.exception("gap fill failed for %s", sub.topic)

    def _spawn(self, coroutine: Awaitable) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # The channel-layer side --------------------------------------------------------------------

    async def _read_loop(self) -> None:
        handlers: dict[str, Callable[[dict], Awaitable[None]]] = {
            groups.EVENT: self._deliver_event,
            groups.EPHEMERAL: self._deliver_ephemeral,
            groups.REVOKE: self._revoke,
        }
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("realtime hub could not read from the channel layer; retrying")
                await asyncio.sleep(1)
                continue
            handler = handlers.get(message.get("type"))
            if handler is None:
                logger.warning("realtime hub ignored a message of type %r", message.get("type"))
                continue
            try:
                await handler(message)
            except Exception:
                logger.exception("realtime hub failed to deliver %s", message.get("type"))

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(GROUP_REFRESH_SECONDS)
            async with self._membership:
                for topic in tuple(self.local):
                    try:
                        await self.layer.group_add(groups.group_for_topic(topic), self.channel_name)
                    except Exception:
                        logger.exception("could not refresh group of %s", topic)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """The hub of the running event loop (one per process under daphne)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(get_channel_layer())
    return hub
