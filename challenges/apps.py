from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")

    def ready(self) -> None:
        from . import figures, search, topics

        topics.register()
        figures.register()
        # SQLite drops a table's triggers when a migration remakes it: the index heals after migrate.
        post_migrate.connect(search.CHALLENGES.heal_sqlite, sender=self, weak=False)
