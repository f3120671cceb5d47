"""The bounds one socket, one user and one address live within (docs/realtime.md, "Limits")."""

from __future__ import annotations

import time
from collections import deque

from platform_core.throttle_store import throttle_store

from .frames import FrameError

# What one frame costs in the server's write buffer beyond its text: the websocket header, and
# the buffer's own entry for it. Counted so that many tiny frames are bounded too.
FRAME_OVERHEAD_BYTES = 64


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class SendWindow:
    """The frames sent to a client that it has not acknowledged yet.

    An ASGI server's `send` does not wait for the network (daphne hands each frame to Twisted,
    whose write buffer has no limit), so the server cannot see a client that stopped reading;
    the client says what it has read instead: `{"type": "ack", "received": N}`, N counting every
    frame of this connection. The bytes of the frames after N are what the server may be holding
    for this client; past the connection's limit it is closed (docs/realtime.md, "Backpressure").
    """

    def __init__(self) -> None:
        self.sent = 0
        self.acknowledged = 0
        self.unacknowledged_bytes = 0
        self._sizes: deque[int] = deque()  # of frames acknowledged + 1 … sent, in order

    def record(self, size: int) -> int:
        """Count one more frame sent; answers the bytes now unacknowledged."""
        self.sent += 1
        cost = size + FRAME_OVERHEAD_BYTES
        self._sizes.append(cost)
        self.unacknowledged_bytes += cost
        return self.unacknowledged_bytes

    def acknowledge(self, received: object) -> None:
        if not isinstance(received, int) or isinstance(received, bool) or not 0 <= received <= self.sent:
            raise FrameError("invalid", "received must count the frames this connection has sent")
        # An older acknowledgement overtaken by a newer one changes nothing.
        while self.acknowledged < received:
            self.unacknowledged_bytes -= self._sizes.popleft()
            self.acknowledged += 1


def _within(key: str, limit: int, window: int) -> bool:
    bucket = f"rt:handshakes:{key}:{int(time.time() // window)}"
    return throttle_store.increment(bucket, timeout=window + 1) <= limit


def handshake_allowed(user_id: int, address: str | None, limits: dict) -> bool:
    """Count one handshake of this user from this address; False once either passed its limit
    for the current window. Reconnecting in a loop would otherwise reset every per-connection
    limit. Runs in a worker thread (the cache may be Redis)."""
    window = limits["HANDSHAKE_WINDOW_SECONDS"]
    # The brakes' store: while the shared cache is away each process counts on its own, like the
    # login brake, rather than turning a Redis outage into refused sockets or an open door.
    allowed = _within(f"user:{user_id}", limits["HANDSHAKES_PER_USER"], window)
    if address:
        allowed = _within(f"addr:{address}", limits["HANDSHAKES_PER_ADDRESS"], window) and allowed
    return allowed
