"""The ceiling the chat benchmark compares against: a bare `websockets` server (no ASGI, no
Django) that writes every chat frame it receives to every connected socket, the same text to
all. Served only by the benchmark (`python -m bench.baseline_bare PORT`)."""

from __future__ import annotations

import asyncio
import sys

from websockets.asyncio.server import broadcast, serve

CONNECTED: set = set()


async def handler(websocket) -> None:
    CONNECTED.add(websocket)
    try:
        async for text in websocket:
            # Flow-control acks of the benchmark's clients are not chat: only sends go out.
            if isinstance(text, str) and text.startswith('{"type":"message.send"'):
                broadcast(CONNECTED, text)
    finally:
        CONNECTED.discard(websocket)


async def main(port: int) -> None:
    async with serve(
        handler, "127.0.0.1", port, max_queue=None, compression=None, open_timeout=60, ping_interval=None
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
