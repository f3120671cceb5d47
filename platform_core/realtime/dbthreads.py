"""Database work of the websocket side, in a small thread pool instead of Channels' one thread.

`channels.db.database_sync_to_async` runs every call of the process in asgiref's single
"thread-sensitive" thread, one after the other: a chat message in one room waited for every
subscribe, replay and message of every other room (docs/performance.md, "Chat"). Here the calls run
in `REALTIME_DB_THREADS` threads (default: half the database pool, at least one), so rooms do not
queue behind each other; each call borrows a connection from the pool and gives it back when it
returns (as database_sync_to_async does, by closing old connections before and after).

What this needs from callers: a call must not rely on running in the same thread as another
(nothing here keeps state in a thread), and writes that must not interleave take their own row
locks (a room's seq, a topic's head), as they always did, since several processes write too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from channels.db import DatabaseSyncToAsync
from django.conf import settings

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=max(1, settings.REALTIME["DB_THREADS"]), thread_name_prefix="realtime-db"
            )
        return _executor


def db_async(function: Callable[P, R]) -> Callable[P, asyncio.Future[R]]:
    """`function` as an awaitable run in the pool, with its connection handed back afterwards."""
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=executor())  # type: ignore[return-value]


async def shutdown(seconds: float) -> None:
    """Drop the work queued and not started; wait up to `seconds` for the calls running now."""
    with _lock:
        pool = _executor
    if pool is None:
        return
    # The pool stays in place, shut: a call submitted after this fails at once instead of
    # starting a thread that the interpreter would wait for at exit.
    pool.shutdown(wait=False, cancel_futures=True)
    try:
        await asyncio.wait_for(asyncio.to_thread(pool.shutdown, wait=True), seconds)
    except TimeoutError:
        logger.warning("shutting down with realtime database work still running after %.0f s", seconds)
