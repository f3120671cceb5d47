from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "platform_core.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Each app names its events and audit actions in its own `events.py` (registering the
        # labels as it is imported); import them all now, as the admin does with `admin.py`.
        autodiscover_modules("events")
