from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "platform_core.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.core import checks

        from . import signals  # noqa: F401  closes websockets when credentials stop being valid
        from .directory import check_grant_table

        checks.register(check_grant_table)
