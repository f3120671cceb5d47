from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "alliances.exchange"
    label = "exchange"
    verbose_name = _("Experience exchange")

    def ready(self) -> None:
        from alliances import knowledge

        from . import events, search, topics  # noqa: F401  events registers the audit labels

        topics.register()
        knowledge.register(search.POST_KIND)
        # SQLite drops a table's triggers when a migration remakes it: the index heals after migrate.
        post_migrate.connect(search.POSTS.heal_sqlite, sender=self, weak=False)
