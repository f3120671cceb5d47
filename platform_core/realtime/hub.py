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
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Protocol

from channels.layers import get_channel_layer
from django.conf import settings

from platform_core import metrics

from . import frames, groups, selectors
from .dbthreads import db_async
from .registry import TopicError
from .topics import user_topic

logger = logging.getLogger(__name__)


class Connection(Protocol):
    user_id: int | None
    conn_id: str
    # The session the socket was opened with (a logout closes that session's sockets only).
    session_key: str | None

    async def send_text(self, text: str) -> None: ...

    async def subscription_revoked(self, sub: Subscription) -> None: ...

    async def close_for_reauthentication(self) -> None: ...

    async def recheck(self) -> None: ...


class Subscription:
    __slots__ = ("authorize", "closed", "connection", "last", "live", "pending", "topic")

    def __init__(self, connection: Connection, topic: str, authorize: Callable[[], object]) -> None:
        self.connection = connection
        self.topic = topic
        # Raises a TopicError if the user may no longer see the topic; runs in a worker thread.
        self.authorize = authorize
        self.last = 0
        self.live = False
        self.pending: list[Frame] = []
        self.closed = False


# (seq, JSON text of the event frame, users whose access ends with this event)
Frame = tuple[int, str, frozenset[int]]


# Sent by a hub to its own channel to end its reader.
STOP = "rt.hub_stop"


class Hub:
    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel_name = ""
        self.local: dict[str, set[Subscription]] = {}
        self._reader: asyncio.Task | None = None
        self._refresher: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        # Serialises starting and group_add/group_discard, so a discard for the last subscriber of
        # a topic can never land after the add for the next one (the process would silently stop
        # receiving the topic).
        self._membership = asyncio.Lock()
        # Set while any socket is subscribed: with none the reader waits here instead of reading
        # the channel layer, so an idle process neither polls Redis nor logs its outages.
        self._wanted = asyncio.Event()
        self._outage = ChannelLayerOutage()
        # What this process publishes for the others, sent in order by one task (publish_remote).
        self._outbox: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
        self._sender: asyncio.Task | None = None

    @property
    def reading(self) -> bool:
        """Whether this hub is receiving from the channel layer."""
        return self._reader is not None and not self._reader.done()

    @property
    def replay_limit(self) -> int:
        return settings.REALTIME["REPLAY_LIMIT"]

    async def _start(self) -> None:
        # Called with self._membership held. The reader runs for the life of the event loop: a
        # process without sockets reads nothing, and stopping would race with the next subscribe.
        if self._reader is None:
            self.channel_name = await self.layer.new_channel("rt-hub.")
            self._reader = asyncio.create_task(self._read_loop(), name="realtime-hub-reader")
            self._refresher = asyncio.create_task(self._refresh_loop(), name="realtime-hub-refresh")

    async def stop(self) -> None:
        """Stop reading from the channel layer (tests, and shutdown of an embedding loop)."""
        reader, self._reader = self._reader, None
        others = [task for task in (self._refresher, self._sender, *self._tasks) if task is not None]
        self._refresher = self._sender = None
        for task in others:
            task.cancel()
        if reader is not None:
            # Ask the reader to return rather than cancel it: channels_redis can hang on a
            # receive cancelled midway. (Wake it first if it is waiting for a subscriber.)
            self._wanted.set()
            try:
                await self.layer.send(self.channel_name, {"type": STOP})
                await asyncio.wait([reader], timeout=2)
            except Exception:
                logger.exception("realtime hub could not stop its reader cleanly")
            if not reader.done():
                reader.cancel()
                await asyncio.wait([reader], timeout=2)
        if others:
            await asyncio.wait(others, timeout=2)

    # Subscribing ----------------------------------------------------------------------------

    async def subscribe(
        self,
        connection: Connection,
        topic: str,
        since: int | None,
        ref,
        authorize: Callable[[], object] = lambda: None,
    ) -> Subscription:
        """Attach, check access, send `subscribed`, replay what the client lacks, then go live.

        `authorize` runs again after attaching, in the same database call as the replay: a
        removal committed between the caller's first check and the attach is seen here, and any
        removal committed later is an event this subscription will meet in seq order.
        """
        sub = Subscription(connection, topic, authorize)
        await self._attach(sub)
        try:
            # Read the database only after joining the group: anything committed later arrives
            # live (and waits in pending), anything committed earlier is in this read.
            head, replay = await db_async(self._authorized_window)(authorize, topic, since)
            await connection.send_text(frames.subscribed(topic, ref, head))
            if replay is None:
                await connection.send_text(frames.resync(topic, head))
                sub.last = head
            else:
                sub.last = head if since is None else since
                await self._send_frames(sub, replay)
            await self._drain(sub)
        except BaseException:
            await self.unsubscribe(sub)
            raise
        return sub

    def _authorized_window(self, authorize: Callable[[], object], topic: str, since: int | None):
        # The head is read before the check: a removal committed after this read has a seq above
        # the head, so the subscription meets it in order; one committed before fails the check.
        head = selectors.topic_head(topic)
        authorize()
        return selectors.replay_window(topic, since, limit=self.replay_limit, head=head)

    async def unsubscribe(self, sub: Subscription) -> None:
        sub.closed = True
        async with self._membership:
            subs = self.local.get(sub.topic)
            if subs is None or sub not in subs:
                return
            subs.discard(sub)
            if not subs:
                del self.local[sub.topic]
                if not self.local:
                    self._wanted.clear()
                try:
                    await self.layer.group_discard(groups.group_for_topic(sub.topic), self.channel_name)
                except Exception:
                    # The subscription is gone locally either way; a stale group member only
                    # costs messages this hub ignores, and the group entry expires.
                    logger.exception("could not leave the group of %s", sub.topic)

    async def _attach(self, sub: Subscription) -> None:
        async with self._membership:
            await self._start()
            subs = self.local.get(sub.topic)
            if subs is None:
                await self.layer.group_add(groups.group_for_topic(sub.topic), self.channel_name)
                subs = self.local[sub.topic] = set()
            subs.add(sub)
            self._wanted.set()

    # Delivering ------------------------------------------------------------------------------

    async def _write(self, sub: Subscription, frame: Frame) -> None:
        """Write the next frame of a subscription, or end it if this event ends the user's access."""
        seq, text, revoke = frame
        sub.last = seq
        if revoke and sub.connection.user_id in revoke and not await self._still_allowed(sub):
            await self.revoke(sub)
            return
        # (Access ended here but is back now, say the member was added again: carry on.)
        await sub.connection.send_text(text)

    async def _still_allowed(self, sub: Subscription) -> bool:
        try:
            await db_async(sub.authorize)()
        except TopicError:
            return False
        return True

    async def revoke(self, sub: Subscription) -> None:
        """End a subscription the user may no longer see, and tell its connection."""
        try:
            await self.unsubscribe(sub)
        finally:
            await sub.connection.subscription_revoked(sub)

    async def _resync(self, sub: Subscription, head: int) -> None:
        """Skip to `head` and tell the client to reload; skipped events may have ended its access,
        so that is checked first."""
        metrics.RESYNCS.inc()
        sub.pending = [frame for frame in sub.pending if frame[0] > head]
        if not await self._still_allowed(sub):
            await self.revoke(sub)
            return
        await sub.connection.send_text(frames.resync(sub.topic, head))
        sub.last = max(sub.last, head)

    async def _send_frames(self, sub: Subscription, replay: list[Frame]) -> None:
        for frame in replay:
            if sub.closed:
                return
            if frame[0] <= sub.last:
                continue
            await self._write(sub, frame)
            metrics.observe_delivery(None)

    async def _drain(self, sub: Subscription) -> None:
        """Deliver what waited in pending, filling gaps from the database, then go live."""
        while not sub.closed:
            pending, sub.pending = sorted(sub.pending), []
            for index, frame in enumerate(pending):
                if sub.closed:
                    return
                seq = frame[0]
                if seq <= sub.last:
                    continue
                if seq != sub.last + 1:
                    # Events before `seq` are committed (seq is allocated under the topic lock),
                    # so the database has them even if their live copy has not arrived yet.
                    sub.pending = pending[index:] + sub.pending
                    await self._fill_gap(sub, seq)
                    break
                await self._write(sub, frame)
                metrics.observe_delivery(None)
            else:
                if not sub.pending:
                    # No await between the check and the switch: no frame can slip in between.
                    sub.live = True
                    return

    async def _fill_gap(self, sub: Subscription, upto: int) -> None:
        metrics.GAP_FILLS.inc()
        missing = upto - sub.last - 1
        replay = []
        if missing <= self.replay_limit:
            replay = await db_async(selectors.replay_frames)(sub.topic, sub.last, limit=missing)
        if not replay or missing > self.replay_limit:
            # Too much is missing, or the database does not have it (a message that was never
            # stored): the client reloads through the REST API and carries on from here.
            await self._resync(sub, upto - 1)
            return
        await self._send_frames(sub, replay)

    async def _deliver_event(self, message: dict) -> None:
        topic = message["topic"]
        subs = self.local.get(topic)
        if not subs:
            return
        # Serialised once per process, whatever the number of local subscribers.
        frame: Frame = (
            message["seq"],
            frames.event(topic, message["seq"], message["event"], message["data"]),
            frozenset(message.get("revoke") or ()),
        )
        seq = frame[0]
        written = 0
        for sub in tuple(subs):
            try:
                if sub.closed:
                    continue
                if not sub.live:
                    sub.pending.append(frame)
                    if len(sub.pending) > 2 * self.replay_limit:
                        # A replay or gap fill that cannot keep up: skip ahead instead of hoarding.
                        self._spawn(self._resync_safely(sub, max(f[0] for f in sub.pending)))
                elif seq == sub.last + 1:
                    await self._write(sub, frame)
                    written += 1
                elif seq > sub.last + 1:
                    sub.live = False
                    sub.pending.append(frame)
                    self._spawn(self._drain_safely(sub))
                # seq <= last: already delivered by replay or gap fill.
            except Exception:
                # One broken socket must not cost the others their event.
                logger.exception("could not deliver %s#%s to one subscriber", topic, seq)
        if written:
            metrics.observe_delivery(message.get("published"), written)

    async def deliver_local(self, message: dict) -> str | None:
        """Deliver an event published by this process to its local subscribers now, without the
        round trip through the channel layer; returns the token by which this hub will know (and
        skip) the copy that comes back from the channel layer, None if it is not reading."""
        if not self.channel_name:
            return None
        await self._deliver_event(message)
        return self.channel_name

    def publish_remote(self, group: str, message: dict) -> None:
        """Send a message to a channel-layer group after those queued before it, without waiting
        (the events in it were delivered to this process's sockets already)."""
        self._outbox.put_nowait((group, message))
        if self._sender is None or self._sender.done():
            self._sender = asyncio.ensure_future(self._send_outbox())

    async def _send_outbox(self) -> None:
        while not self._outbox.empty():
            group, message = self._outbox.get_nowait()
            try:
                await self.layer.group_send(group, message)
            except Exception:
                # Stored all the same: the other processes' subscribers fill the gap from the
                # database when the next event arrives, or when they reconnect.
                logger.exception("could not publish %s to %s", message.get("type"), group)

    async def _deliver_events(self, message: dict) -> None:
        for event in message["events"]:
            await self._deliver_event(event)

    async def _deliver_ephemeral(self, message: dict) -> None:
        subs = self.local.get(message["topic"])
        if not subs:
            return
        text = frames.ephemeral(message["topic"], message["event"], message["data"])
        sender = message.get("sender")
        for sub in tuple(subs):
            if sub.connection.conn_id != sender and not sub.closed:
                try:
                    await sub.connection.send_text(text)
                except Exception:
                    logger.exception("could not deliver an ephemeral frame to one subscriber")

    def _connections_of(self, user_id: int) -> set[Connection]:
        # Every socket is subscribed to its user's topic for its whole life (it cannot leave it).
        return {
            sub.connection
            for sub in self.local.get(user_topic(user_id), ())
            if sub.connection.user_id == user_id
        }

    async def _close_session(self, message: dict) -> None:
        """A logout: close that session's sockets (the session row is about to be deleted)."""
        for connection in self._connections_of(message["user_id"]):
            if connection.session_key == message["session_key"]:
                try:
                    await connection.close_for_reauthentication()
                except Exception:
                    logger.exception("could not close a socket of user %s", message["user_id"])

    async def _recheck_user(self, message: dict) -> None:
        for connection in self._connections_of(message["user_id"]):
            await self._recheck(connection)

    async def _recheck(self, connection: Connection) -> None:
        try:
            await connection.recheck()
        except Exception:
            logger.exception("could not recheck a socket of user %s", connection.user_id)

    async def recheck_all(self) -> None:
        connections = {sub.connection for subs in tuple(self.local.values()) for sub in subs}
        for connection in connections:
            await self._recheck(connection)

    async def _drain_safely(self, sub: Subscription) -> None:
        try:
            await self._drain(sub)
        except Exception:
            # A database blip during a gap fill must not leave the subscription waiting forever.
            logger.exception("gap fill failed for %s; asking the client to resync", sub.topic)
            if sub.pending:
                await self._resync_safely(sub, max(frame[0] for frame in sub.pending))

    async def _resync_safely(self, sub: Subscription, head: int) -> None:
        try:
            await self._resync(sub, head)
            sub.pending.clear()
            sub.live = not sub.closed
        except Exception:
            logger.exception("could not resync %s; closing the connection", sub.topic)
            await sub.connection.close_for_reauthentication()

    def _spawn(self, coroutine: Awaitable) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # The channel-layer side --------------------------------------------------------------------

    async def _read_loop(self) -> None:
        handlers: dict[str, Callable[[dict], Awaitable[None]]] = {
            groups.EVENT: self._deliver_event,
            groups.EVENTS: self._deliver_events,
            groups.EPHEMERAL: self._deliver_ephemeral,
            groups.CLOSE_SESSION: self._close_session,
            groups.RECHECK_USER: self._recheck_user,
        }
        while True:
            await self._wanted.wait()
            try:
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # redis-py may turn our cancellation into a TimeoutError: honour it anyway.
                    raise asyncio.CancelledError from None
                await asyncio.sleep(self._outage.failed())
                # Redis may have restarted and lost the groups: join them again, until it works.
                self._spawn(self._rejoin_until_complete())
                continue
            self._outage.ended()
            if message.get("type") == STOP:
                return
            if message.get("origin") == self.channel_name and message.get("type") in (
                groups.EVENT,
                groups.EVENTS,
            ):
                continue  # published by this process, delivered already (deliver_local)
            handler = handlers.get(message.get("type"))
            if handler is None:
                logger.warning("realtime hub ignored a message of type %r", message.get("type"))
                continue
            try:
                await handler(message)
            except Exception:
                logger.exception("realtime hub failed to deliver %s", message.get("type"))

    async def _rejoin_groups(self) -> bool:
        """Join every local topic's group again; True when all succeeded."""
        failed: list[str] = []
        async with self._membership:
            for topic in tuple(self.local):
                try:
                    await self.layer.group_add(groups.group_for_topic(topic), self.channel_name)
                except Exception as exc:
                    failed.append(f"{topic} ({type(exc).__name__})")
        if failed:
            # One line per attempt, not a traceback per topic: during a Redis outage every topic
            # fails alike, and the reader has logged the cause already.
            logger.warning("could not rejoin %d group(s): %s", len(failed), ", ".join(failed[:5]))
        return not failed

    async def _rejoin_until_complete(self) -> None:
        delay = 1.0
        while not await self._rejoin_groups():
            await asyncio.sleep(delay)
            delay = min(30.0, delay * 2)

    async def _refresh_loop(self) -> None:
        # Groups expire in channels_redis and vanish if Redis loses its data; joining again is
        # idempotent and cheap (one ZADD per topic per process). The same beat re-checks every
        # socket's session and subscriptions, catching access that ended without a signal (an
        # expired session, a grant deleted in the admin, a bulk update).
        while True:
            await asyncio.sleep(settings.REALTIME["GROUP_REFRESH_SECONDS"])
            await self._rejoin_until_complete()
            await self.recheck_all()


class ChannelLayerOutage:
    """How a hub reports and paces its failed reads of the channel layer (Redis down).

    The first failure is logged with its traceback; while the outage lasts, one warning at growing
    intervals (OUTAGE_LOG_FIRST_INTERVAL doubling up to OUTAGE_LOG_MAX_INTERVAL seconds) says for
    how long and how many reads failed; the end is logged once. Before this a hub logged a
    traceback a second (921 in a 15-minute outage). Retries stay close together (at most
    RETRY_MAX_DELAY seconds apart) so live delivery resumes within seconds of Redis coming back.
    """

    RETRY_FIRST_DELAY = 0.5
    RETRY_MAX_DELAY = 5.0
    OUTAGE_LOG_FIRST_INTERVAL = 30.0
    OUTAGE_LOG_MAX_INTERVAL = 600.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started: float | None = None
        self.failures = 0
        self.delay = self.RETRY_FIRST_DELAY
        self.log_interval = self.OUTAGE_LOG_FIRST_INTERVAL
        self.next_log = 0.0

    def failed(self) -> float:
        """Record a failed read (call from the except block); returns the seconds to wait."""
        now = self.clock()
        self.failures += 1
        if self.started is None:
            self.started = now
            self.delay = self.RETRY_FIRST_DELAY
            self.log_interval = self.OUTAGE_LOG_FIRST_INTERVAL
            self.next_log = now + self.log_interval
            logger.exception("realtime hub cannot read from the channel layer; retrying")
        elif now >= self.next_log:
            logger.warning(
                "realtime hub still cannot read from the channel layer: %.0f s, %d failed reads",
                now - self.started,
                self.failures,
            )
            self.log_interval = min(self.log_interval * 2, self.OUTAGE_LOG_MAX_INTERVAL)
            self.next_log = now + self.log_interval
        delay = self.delay
        self.delay = min(self.delay * 2, self.RETRY_MAX_DELAY)
        return delay

    def ended(self) -> None:
        if self.started is None:
            return
        logger.warning(
            "realtime hub reads the channel layer again after %.0f s (%d failed reads)",
            self.clock() - self.started,
            self.failures,
        )
        self.started = None
        self.failures = 0


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def all_hubs() -> list[Hub]:
    """The hubs of every event loop of this process (tests stop them between event loops)."""
    return list(_hubs.values())


def forget_hubs() -> None:
    """Drop every hub, so the next get_hub() builds one on the current channel layer (tests)."""
    _hubs.clear()


def current_hub() -> Hub | None:
    """The hub of the running event loop, if it has one (None outside an event loop too)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return _hubs.get(loop)


def get_hub() -> Hub:
    """The hub of the running event loop (one per process under daphne)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(get_channel_layer())
    return hub
