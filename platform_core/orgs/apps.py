from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "platform_core.orgs"
    label = "orgs"
    verbose_name = _("Units and studios")

    def ready(self) -> None:
        from . import topics  # noqa: F401  registers the studio:<id> live topic
