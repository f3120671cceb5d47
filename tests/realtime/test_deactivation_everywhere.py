"""Disabling an account ends its sessions and closes its sockets in every process within 5 seconds.

Two real daphne processes share PostgreSQL and Redis; the account has a socket open on each. It is
disabled from this process (the service, a plain save as the admin's change form does, the admin
list's action): the change reaches both processes' hubs through the channel layer (the user's
group, platform_core/realtime/services.recheck_user_on_commit) and every socket of the account
closes with 4001, while another user's socket stays open; the cookie no longer opens a page or a
socket on either process, nor the account's API token the API.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from platform_core.accounts.services import user_set_active
from tests.servers import daphne
from tests.ws import session_cookie

CLOSE_REAUTHENTICATE = 4001
WITHIN_SECONDS = 5.0


async def open_ws(base: str, cookie: str):
    ws = await connect(
        base.replace("http", "ws") + "/ws/",
        origin=base,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )
    hello = json.loads(await ws.recv())
    assert hello["type"] == "subscribed"
    return ws


async def closed_with(ws, deadline: float) -> int | None:
    try:
        async with asyncio.timeout(deadline - time.monotonic()):
            while True:
                await ws.recv()
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        return None


def page_status(base: str, cookie: str, path: str = "/profile/", token: str | None = None) -> int:
    headers = {"Authorization": f"Token {token}"} if token else {}
    request = urllib.request.Request(
        f"{base}{path}", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", **headers}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def disable(how: str, user, tcast, admin: Client) -> None:
    if how == "service":
        user_set_active(actor=tcast.superadmin, user=user, active=False)
    elif how == "save":  # what the admin's change form does
        user.is_active = False
        user.save()
    else:
        answer = admin.post(
            "/admin/accounts/user/", {"action": "disable_accounts", "_selected_action": [user.pk]}
        )
        assert answer.status_code == 302


@pytest.mark.postgres
@pytest.mark.redis
def test_disabling_an_account_closes_its_sockets_in_every_process(require_postgres, require_redis, tcast):
    # Each way of disabling an account, each on an account of its own.
    ways = {"service": tcast.member, "save": tcast.expert, "admin action": tcast.outsider}
    cookies = {how: session_cookie(user) for how, user in ways.items()}
    tokens = {how: Token.objects.create(user=user).key for how, user in ways.items()}
    other_cookie = session_cookie(tcast.leader1)
    admin = Client()  # logged in, with the user list open, before any clock starts
    admin.force_login(tcast.superadmin)
    assert admin.get("/admin/accounts/user/").status_code == 200

    with daphne() as process_a, daphne() as process_b:
        for how, cookie in cookies.items():
            assert page_status(process_a, cookie) == page_status(process_b, cookie) == 200
            assert page_status(process_b, "", "/api/v1/me/", tokens[how]) == 200

        async def scenario(how: str) -> float:
            cookie = cookies[how]
            on_a = await open_ws(process_a, cookie)
            on_b = await open_ws(process_b, cookie)
            bystander = await open_ws(process_b, other_cookie)
            try:
                started = time.monotonic()
                await asyncio.to_thread(disable, how, ways[how], tcast, admin)
                deadline = started + WITHIN_SECONDS
                codes = await asyncio.gather(closed_with(on_a, deadline), closed_with(on_b, deadline))
                took = time.monotonic() - started
                assert codes == [CLOSE_REAUTHENTICATE, CLOSE_REAUTHENTICATE], (how, codes)
                assert took < WITHIN_SECONDS, (how, took)
                # The other user's socket is still served.
                await bystander.send(json.dumps({"type": "ping", "ref": 1}))
                assert json.loads(await bystander.recv()) == {"type": "pong", "ref": 1}
                # The page reconnects at once: the handshake refuses the ended session.
                for base in (process_a, process_b):
                    with pytest.raises(InvalidStatus) as refused:
                        await open_ws(base, cookie)
                    assert refused.value.response.status_code == 403
                return took
            finally:
                for ws in (on_a, on_b, bystander):
                    await ws.close()

        for how in ways:
            took = asyncio.run(scenario(how))
            print(f"disabled by {how}: both sockets closed in {took:.2f}s")
            # The session itself is gone: neither process serves a page with the old cookie.
            assert page_status(process_a, cookies[how]) == 302, how
            assert page_status(process_b, cookies[how]) == 302, how
            # Nor does its API token open the API.
            assert page_status(process_a, "", "/api/v1/me/", tokens[how]) in {401, 403}, how
        assert page_status(process_a, other_cookie) == 200
