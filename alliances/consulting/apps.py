from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConsultingConfig(AppConfig):
    name = "alliances.consulting"
    label = "consulting"
    verbose_name = _("Expert consultation")

    def ready(self) -> None:
        from . import search

        search.register_knowledge_kind()
        # SQLite drops a table's triggers when a migration remakes it: the index heals after migrate.
        post_migrate.connect(search.QA.heal_sqlite, sender=self, weak=False)
