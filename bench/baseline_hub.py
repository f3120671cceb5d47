"""The minimal hub the chat benchmark compares against: a plain ASGI websocket application on
daphne that keeps the process's sockets in one set and writes every chat frame it receives to each
of them, encoded nothing twice (no Django, no channel layer, no database, no checks). What daphne
itself can push from one process; the platform's chat adds persistence, access rules and limits
on top. Served only by the benchmark (`daphne bench.baseline_hub:application`)."""

from __future__ import annotations

SOCKETS: dict[int, object] = {}


async def application(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            pass
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    key = id(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                SOCKETS[key] = send
            elif message["type"] == "websocket.receive":
                text = message.get("text")
                if text and text.startswith('{"type":"message.send"'):
                    frame = {"type": "websocket.send", "text": text}
                    for other in tuple(SOCKETS.values()):
                        await other(frame)
            else:
                return
    finally:
        SOCKETS.pop(key, None)
