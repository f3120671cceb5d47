from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "alliances.learning"
    label = "learning"
    verbose_name = _("Online learning")

    def ready(self) -> None:
        from . import events, figures, knowledge, search  # noqa: F401  events registers its audit labels

        figures.register()
        knowledge.register_kind()
        # SQLite drops a table's triggers when a migration remakes it: the index heals after migrate.
        post_migrate.connect(search.COURSES.heal_sqlite, sender=self, weak=False)
