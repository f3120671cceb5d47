"""Origin check of the websocket handshake.

A page may open the socket only from the platform's own origin: the Origin header must name the
same scheme-less host and port as the Host header the browser sent (which must itself be one of
ALLOWED_HOSTS), or be listed in CSRF_TRUSTED_ORIGINS. A page elsewhere, even on another port of the
same host, cannot use a visitor's cookies to listen in. Settings are read at each handshake, not
copied at import as Channels' AllowedHostsOriginValidator does.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        return DEBUG_HOSTS
    return hosts


def origin_allowed(origin: str | None, host: str | None) -> bool:
    if not origin:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return False
    if f"{parts.scheme}://{parts.netloc}".lower() in {o.lower() for o in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    allowed = _allowed_hosts()
    origin_domain, _port = split_domain_port(parts.netloc.lower())
    if not validate_host(origin_domain, allowed):
        return False
    if host is None:
        # No Host header (only test harnesses do this): the origin's host must be allowed.
        return True
    return host.lower() == parts.netloc.lower()


class AllowedHostsOriginValidator:
    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("AllowedHostsOriginValidator is for websocket connections")
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin")
        host = headers.get(b"host")
        if origin_allowed(
            origin.decode("latin1") if origin is not None else None,
            host.decode("latin1") if host is not None else None,
        ):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
