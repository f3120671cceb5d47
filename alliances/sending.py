"""Group commit of chat sends: the messages this process's sockets send to one room while the
previous batch of that room is being stored are stored together, in one transaction.

A room's messages are numbered under a lock of its row, so one room takes one transaction at a
time, however many threads there are; storing them one per transaction capped a room at about
35 messages a second (docs/performance.md, "Chat"). Here each room of each process has at most one
batch in flight: a send waits for the batch in flight, then goes with every send that arrived
meanwhile (up to REALTIME_SEND_BATCH). Every guarantee of a single send holds (rooms.messages_send):
each is answered only once its batch has committed, with its own result or error. Different
rooms are stored side by side, in the realtime database threads (platform_core/realtime/dbthreads.py).
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from django.conf import settings

from platform_core import metrics
from platform_core.realtime.dbthreads import db_async

from .models import Message
from .services import rooms

logger = logging.getLogger(__name__)


class RoomSends:
    """The sends of one room waiting in this process (one event loop), and their batch worker."""

    def __init__(self, room_id: int, owner: dict[int, RoomSends]) -> None:
        self.room_id = room_id
        self.owner = owner
        self.waiting: list[tuple[rooms.Send, asyncio.Future]] = []
        self.worker: asyncio.Task | None = None

    async def run(self) -> None:
        limit = max(1, settings.REALTIME["SEND_BATCH"])
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[:limit], self.waiting[limit:]
                metrics.CHAT_SEND_BATCH.observe(len(batch))
                try:
                    results: list[rooms.SendResult] = await db_async(rooms.messages_send)(
                        room_id=self.room_id, sends=[send for send, _future in batch]
                    )
                except asyncio.CancelledError:
                    # Shutting down (the database work queued was dropped) or this task cancelled:
                    # the batch's senders stop waiting too, unanswered (they send it again).
                    for _send, future in batch:
                        future.cancel()
                    raise
                except Exception as error:  # the database went away: each send is answered
                    logger.exception("a batch of %d chat messages could not be stored", len(batch))
                    results = [error] * len(batch)
                for (_send, future), result in zip(batch, results, strict=True):
                    if not future.done():  # its socket may have gone
                        future.set_result(result)
                # Let the answered sockets run first: each acknowledges and hands over its next
                # send, which then goes in the next batch instead of starting one of its own
                # (measured: batches of 1 and 24 in turn, twice the transactions).
                await asyncio.sleep(0)
        finally:
            # No await between the last check of `waiting` and this: a send that arrives later
            # finds no queue and starts a new one.
            if self.owner.get(self.room_id) is self:
                del self.owner[self.room_id]
            for _send, future in self.waiting:  # only if the worker itself was cancelled
                if not future.done():
                    future.cancel()


_rooms: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, RoomSends]] = (
    weakref.WeakKeyDictionary()
)


async def send_message(room_id: int, send: rooms.Send) -> tuple[Message, bool]:
    """Store one message with whatever else this process is sending to the room now; returns
    (message, created) once it is committed, or raises the error that refused it."""
    loop = asyncio.get_running_loop()
    queues = _rooms.setdefault(loop, {})
    queue = queues.get(room_id)
    if queue is None:
        queue = queues[room_id] = RoomSends(room_id, queues)
    future: asyncio.Future = loop.create_future()
    queue.waiting.append((send, future))
    if queue.worker is None:
        queue.worker = asyncio.create_task(queue.run(), name=f"chat-sends-{room_id}")
    result = await future
    if isinstance(result, Exception):
        raise result
    return result
