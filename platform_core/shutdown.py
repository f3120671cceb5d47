"""Stopping a process within seconds of SIGTERM, even with a backlog of work queued.

Measured before this: a daphne holding a chat backlog ran for over a minute after SIGTERM, until
systemd's SIGKILL. daphne cancels the connections' application instances and stops its event
loop; the interpreter then joins the database thread (asgiref's single thread for
`database_sync_to_async`), which was in the middle of a send whose on-commit publication waits,
through async_to_sync, for the event loop that had just stopped: it never returned.

So, before daphne stops its loop, `prepare_for_shutdown`:
- marks the process as shutting down: a publication after this is skipped (the event is stored;
  clients get it by replay when they reconnect, to any process), so no thread waits on the loop;
- drops the database work queued and not started (in asgiref's thread and in the realtime pool,
  platform_core/realtime/dbthreads.py) (a send not yet acknowledged is not accepted:
  the client sends it again, with the same client_id, after reconnecting);
- waits, a few seconds at most, for the work item running now to finish, while the loop still runs.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any

from asgiref.sync import SyncToAsync

logger = logging.getLogger(__name__)

DRAIN_SECONDS = 5.0

_shutting_down = threading.Event()


def is_shutting_down() -> bool:
    return _shutting_down.is_set()


async def prepare_for_shutdown() -> None:
    _shutting_down.set()
    from platform_core.realtime import dbthreads

    executor = SyncToAsync.single_thread_executor
    executor.shutdown(wait=False, cancel_futures=True)
    try:
        await asyncio.gather(
            asyncio.wait_for(asyncio.to_thread(executor.shutdown, wait=True), DRAIN_SECONDS),
            dbthreads.shutdown(DRAIN_SECONDS),
        )
    except TimeoutError:
        logger.warning("shutting down with database work still running after %.0f s", DRAIN_SECONDS)
    logger.info("ready to stop: queued database work dropped, publications off")


def install_under_daphne() -> None:
    """Run `prepare_for_shutdown` in Twisted's "before shutdown" phase, while the loop still runs
    (daphne cancels the application instances in the same phase). Nothing to do elsewhere."""
    if "twisted.internet.reactor" not in sys.modules:
        return
    from twisted.internet import defer
    from twisted.internet import reactor as installed_reactor

    def before_shutdown():
        return defer.Deferred.fromFuture(asyncio.ensure_future(prepare_for_shutdown()))

    # Typed through the zope interface, whose method declaration the stubs read without `self`.
    reactor: Any = installed_reactor
    reactor.addSystemEventTrigger("before", "shutdown", before_shutdown)
