"""The `sockets` fixture's teardown after a failed socket test: one failure must read as one.

A receive that times out cancels the application (asgiref's communicator); disconnecting it then
raised CancelledError, a BaseException, from the fixture's teardown; pytest then skipped the
teardowns after it, the database flush among them, and the next tests failed at setup on the
rows this one left."""

from __future__ import annotations

import pytest

from tests.ws import Sockets

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_socket_whose_receive_timed_out_closes_quietly(tcast):
    sockets = Sockets()
    socket = await sockets.open(tcast.member)
    with pytest.raises(TimeoutError):
        await socket.receive(timeout=0.05)
    assert socket.communicator.future.cancelled()
    await sockets.close_all()
    assert socket.closed


async def test_a_socket_that_cannot_close_is_an_ordinary_error_after_the_others_closed(tcast):
    sockets = Sockets()
    broken = await sockets.open(tcast.member)
    healthy = await sockets.open(tcast.leader1)

    async def crash(*args, **kwargs):
        raise RuntimeError("the application crashed")

    # The communicator's own disconnect fails (a crashed application raises when told to stop).
    broken.communicator.disconnect = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="could not be closed cleanly"):
        await sockets.close_all()
    assert healthy.closed and healthy.communicator.future.done()
