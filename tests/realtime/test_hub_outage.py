"""A hub and a channel layer that fails: paced retries, few log lines, no reads while idle."""

from __future__ import annotations

import asyncio
import logging

from platform_core.realtime.hub import ChannelLayerOutage, Hub


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_outage_logs_one_traceback_then_a_few_warnings(caplog):
    clock = Clock()
    outage = ChannelLayerOutage(clock=clock)
    delays = []
    with caplog.at_level(logging.WARNING, logger="platform_core.realtime.hub"):
        try:
            raise ConnectionError("Redis is down")
        except ConnectionError:
            # 15 minutes of failed reads, one a second at first (as before the pacing).
            while clock.now < 1000.0 + 900:
                delays.append(outage.failed())
                clock.now += delays[-1]
        outage.ended()
    lines = [record.getMessage() for record in caplog.records]
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 1
    # 30, 60, 120, 240, 480 s after the start: five reminders in 15 minutes, then the end.
    assert 3 <= len(lines) <= 8, lines
    assert "again after" in lines[-1]
    assert max(delays) == ChannelLayerOutage.RETRY_MAX_DELAY
    assert delays[0] == ChannelLayerOutage.RETRY_FIRST_DELAY


def test_a_new_outage_starts_afresh():
    clock = Clock()
    outage = ChannelLayerOutage(clock=clock)
    for _ in range(10):
        outage.failed()
    outage.ended()
    assert outage.failed() == ChannelLayerOutage.RETRY_FIRST_DELAY
    assert outage.failures == 1


class CountingLayer:
    """A channel layer that fails every read and counts them."""

    def __init__(self) -> None:
        self.reads = 0

    async def new_channel(self, prefix: str) -> str:
        return prefix + "test"

    async def receive(self, channel: str) -> dict:
        self.reads += 1
        raise ConnectionError("Redis is down")

    async def send(self, channel: str, message: dict) -> None:
        raise ConnectionError("Redis is down")

    async def group_add(self, group: str, channel: str) -> None:
        return None

    async def group_discard(self, group: str, channel: str) -> None:
        return None


async def test_a_hub_with_no_subscriber_does_not_read_the_channel_layer(caplog):
    layer = CountingLayer()
    hub = Hub(layer)
    async with hub._membership:
        await hub._start()
    with caplog.at_level(logging.WARNING, logger="platform_core.realtime.hub"):
        await asyncio.sleep(0.3)
    assert layer.reads == 0
    assert caplog.records == []
    # A subscriber wakes the reader (and the outage is logged once).
    hub._wanted.set()
    await asyncio.sleep(0.3)
    assert layer.reads >= 1
    await hub.stop()
    assert not hub.reading
