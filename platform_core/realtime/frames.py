"""Server frames: built and encoded to JSON text here, and nowhere else (hub, consumer, selectors).

Frames are encoded with `ensure_ascii=False` (Chinese text stays three bytes a character instead
of six), which can produce text that is not valid UTF-8: a lone surrogate such as `"\\ud800"`
decodes from client JSON without complaint and would be echoed back as is, and the server's
`text.encode("utf-8")` then fails and closes the socket with 1011. `encode` checks the result
and falls back to ASCII escapes, which every client decodes to the same string.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

Ref = str | int | None


class FrameError(Exception):
    """A frame that cannot be served; becomes an `error` frame, the connection stays open.

    Codes (docs/realtime.md): forbidden, not_found, invalid, rate_limited, too_large,
    server_error.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def encode(frame: dict[str, Any]) -> str:
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(frame, ensure_ascii=True, separators=(",", ":"))
    return text


@lru_cache(maxsize=256)
def encoded_size(text: str) -> int:
    """Bytes `text` takes on the wire. The hub writes one text object to every subscriber, and a
    str caches its hash, so all but the first socket get the size from the cache."""
    return len(text.encode("utf-8"))


# The frames the hub writes, as text (encoded once, written to every subscriber).


def event(topic: str, seq: int, name: str, data: dict) -> str:
    return encode({"type": "event", "topic": topic, "seq": seq, "event": name, "data": data})


def ephemeral(topic: str, name: str, data: dict) -> str:
    return encode({"type": "ephemeral", "topic": topic, "event": name, "data": data})


def subscribed(topic: str, ref: Ref, head: int) -> str:
    return encode({"type": "subscribed", "topic": topic, "ref": ref, "head": head})


def resync(topic: str, head: int) -> str:
    return encode({"type": "resync", "topic": topic, "head": head})


# The consumer's answers, as dicts it encodes when it sends them.


def error(code: str, detail: str, *, ref: Ref, client_id: Ref = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "ref": ref, "code": code, "detail": detail}
    if client_id is not None:
        frame["client_id"] = client_id
    return frame
