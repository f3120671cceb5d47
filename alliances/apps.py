from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances and teams")

    def ready(self) -> None:
        # Registers the room:<id> topic kind and the chat's client frames with the realtime core.
        from . import figures, frames, topics  # noqa: F401

        figures.register()
