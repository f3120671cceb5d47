"""An idle hub on Redis: channels_redis blocks 5 s in BRPOP waiting for messages, so the Redis
client's read timeout must be longer, or every idle read fails, is logged, and pauses the hub."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from channels.db import database_sync_to_async
from channels_redis.core import RedisChannelLayer

from platform_core.realtime.services import emit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

BLOCKING_POP_SECONDS = RedisChannelLayer.brpop_timeout


async def test_an_idle_hub_logs_nothing_and_delivers_at_once_afterwards(
    require_redis, sockets, tcast, caplog
):
    topic = tcast.studio1.topic
    socket = await sockets.open(tcast.member)
    await socket.subscribe(topic)
    with caplog.at_level(logging.WARNING, logger="platform_core.realtime"):
        # Idle past one blocking pop and into the next.
        await asyncio.sleep(BLOCKING_POP_SECONDS + 2)
        await database_sync_to_async(emit)(topic, "test.after_idle", {})
        started = time.monotonic()
        frame = await socket.receive(timeout=3)
        delay = time.monotonic() - started
    assert frame["event"] == "test.after_idle"
    assert delay < 0.3, f"the first frame after idling took {delay:.2f} s"
    assert [record.getMessage() for record in caplog.records] == []


def test_the_redis_read_timeout_is_above_the_blocking_pop(require_redis, settings):
    (host,) = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]
    assert host["socket_timeout"] > BLOCKING_POP_SECONDS
