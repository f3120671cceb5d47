"""Origin check of the websocket handshake.

Channels' AllowedHostsOriginValidator copies ALLOWED_HOSTS once, when asgi.py is imported. This one
reads the setting on every handshake, so it always agrees with the host check Django applies to
HTTP requests (and with settings changed at run time, as the test environment does).
"""

from __future__ import annotations

from channels.security.websocket import OriginValidator
from django.conf import settings

DEBUG_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


class AllowedHostsOriginValidator(OriginValidator):
    def __init__(self, application) -> None:
        self.application = application

    @property
    def allowed_origins(self) -> list[str]:
        hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not hosts:
            return DEBUG_HOSTS
        return hosts
