"""Frames written by daphne's websocket layer (autobahn) without formatting a debug line each.

autobahn's `sendData`, which daphne calls for every frame written, builds the arguments of a
debug log line before the logger decides to drop it: `hltype` and `hlval` colour a method name and
two values through click's styling. A py-spy profile of the chat fan-out at 20,000 deliveries a
second put 12.6% of the process's samples there (docs/performance.md, "Chat"). The names are
imported into autobahn's protocol module, so replacing them there with functions that return their
argument unchanged removes the cost; a debug line still says the same, uncoloured. Left alone
when autobahn's own debug logging is on.
"""

from __future__ import annotations

import sys
from typing import Any


def _plain(value: Any, *_args: Any, **_kwargs: Any) -> Any:
    return value


def install_under_daphne() -> None:
    if "twisted.internet.reactor" not in sys.modules:
        return
    import txaio
    from autobahn.websocket import protocol

    try:
        level = txaio.get_global_log_level()  # type: ignore[attr-defined]
    except RuntimeError:  # no framework chosen yet: nothing logs at debug either
        level = "info"
    if level in ("debug", "trace"):
        return
    protocol.hltype = _plain  # type: ignore[assignment]
    protocol.hlval = _plain  # type: ignore[assignment]
