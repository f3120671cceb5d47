"""The baseline the hub is measured against: the textbook Channels pattern, where every socket's
consumer joins the group itself, so the channel layer delivers each event once per socket and each
consumer serialises it again. Served only by the benchmark."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from platform_core.realtime.security import AllowedHostsOriginValidator  # noqa: E402

BASELINE_GROUP = "bench.baseline"


class PerSocketConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        if not self.scope["user"].is_authenticated:
            await self.close()
            return
        await self.accept()
        await self.send_json({"type": "subscribed", "topic": "bench", "ref": None, "head": 0})

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "subscribe":
            await self.channel_layer.group_add(BASELINE_GROUP, self.channel_name)
            await self.send_json(
                {"type": "subscribed", "topic": content["topic"], "ref": content.get("ref"), "head": 0}
            )

    async def disconnect(self, code):
        await self.channel_layer.group_discard(BASELINE_GROUP, self.channel_name)

    async def rt_event(self, message):
        await self.send_json(
            {
                "type": "event",
                "topic": message["topic"],
                "seq": message["seq"],
                "event": message["event"],
                "data": message["data"],
            }
        )


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/", PerSocketConsumer.as_asgi())]))
        ),
    }
)
