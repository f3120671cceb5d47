"""ASGI entry point: HTTP through Django, the one websocket endpoint /ws/ through the realtime hub."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
# Django must be set up before anything imports models (the consumer does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from platform_core.body_limit import RequestBodyLimit, install_daphne_body_limit  # noqa: E402
from platform_core.health import HealthEndpoints  # noqa: E402
from platform_core.realtime.auth import SessionAuthMiddleware  # noqa: E402
from platform_core.realtime.consumers import RealtimeConnection  # noqa: E402
from platform_core.realtime.security import AllowedHostsOriginValidator  # noqa: E402
from platform_core.realtime.wire import install_under_daphne as quiet_frame_logging  # noqa: E402
from platform_core.shutdown import install_under_daphne  # noqa: E402

install_daphne_body_limit()
install_under_daphne()
quiet_frame_logging()

websocket_urlpatterns = [path("ws/", RealtimeConnection.as_asgi())]

application = ProtocolTypeRouter(
    {
        # /healthz and /readyz are answered before Django: no session, no database for /healthz.
        "http": HealthEndpoints(RequestBodyLimit(django_asgi_app)),
        # Origin first (a foreign page may not use a visitor's cookies), then the session user.
        "websocket": AllowedHostsOriginValidator(SessionAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
