from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "platform_core.realtime"
    label = "realtime"
    verbose_name = _("Realtime")

    def ready(self) -> None:
        # The core's own topic kind (user:<id>) and frame type (typing); apps add theirs.
        from . import topics, typing_indicator  # noqa: F401
