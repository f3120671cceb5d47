from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "platform_core.media"
    label = "media"
    verbose_name = _("Audio and video")

    def ready(self) -> None:
        from . import signals  # noqa: F401  the stored bytes go with the row
