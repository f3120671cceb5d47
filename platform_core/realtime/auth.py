"""Session authentication for the websocket handshake.

Channels' AuthMiddlewareStack also wraps `send` so that it can save a modified session with an
HTTP response; a websocket never needs that, yet the wrapper inspects the session on every frame
sent (measured: about a tenth of the hub's fan-out time). This middleware resolves the user from the
session cookie once, at the handshake, with the same checks (session auth hash included), and passes
`send` through untouched.
"""

from __future__ import annotations

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie

from .dbthreads import db_async


class SessionAuthMiddleware:
    def __init__(self, application) -> None:
        self.application = application
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        cookie_header = b"; ".join(value for name, value in scope.get("headers", []) if name == b"cookie")
        cookies = parse_cookie(cookie_header.decode("latin1"))
        session = self.session_store(cookies.get(settings.SESSION_COOKIE_NAME))
        scope = {**scope, "cookies": cookies, "session": session}
        # In the realtime threads, not asgiref's one thread: a reconnect storm's handshakes
        # queued there one behind the other until daphne's handshake timeout dropped them.
        scope["user"] = await db_async(get_user.func)(scope)
        return await self.application(scope, receive, send)
