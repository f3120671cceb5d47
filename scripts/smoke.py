"""Smoke test of a running platform: log in through the login page, one HTTP request through the
API, one websocket subscribe. Used by .ci/run against `make run`; usable against any deployment:

    python scripts/smoke.py http://127.0.0.1:8000 leader1 demo12345
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

from websockets.asyncio.client import connect


def log_in(base: str, username: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(
        f"{base}/login/", data=form.encode(), headers={"Referer": f"{base}/login/"}
    )
    opener.open(request, timeout=10)
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        raise SystemExit("login failed: no session cookie")
    return opener, session


async def subscribe(base: str, session: str, topic: str) -> dict:
    ws_url = base.replace("http", "ws", 1) + "/ws/"
    async with connect(ws_url, origin=base, additional_headers={"Cookie": f"sessionid={session}"}) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "subscribed", hello
        await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since": 0, "ref": "smoke"}))
        async with asyncio.timeout(10):
            while True:
                frame = json.loads(await ws.recv())
                if frame.get("ref") == "smoke":
                    return frame


def main() -> None:
    base, username, password = (
        sys.argv[1:] + ["http://127.0.0.1:8000", "leader1", "demo12345"][len(sys.argv) - 1 :]
    )[:3]
    opener, session = log_in(base, username, password)
    me = json.load(opener.open(f"{base}/api/v1/me/", timeout=10))
    print(f"HTTP ok: logged in as {me['username']} ({me['name']})")
    frame = asyncio.run(subscribe(base, session, f"user:{me['id']}"))
    if frame["type"] != "subscribed":
        raise SystemExit(f"websocket subscribe failed: {frame}")
    print(f"websocket ok: subscribed to {frame['topic']} at head {frame['head']}")


if __name__ == "__main__":
    main()
