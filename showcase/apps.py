from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _heal_sqlite_search_index(sender, using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration remakes the table: put the FTS triggers
    back (and refill the index) whenever they are missing after a migrate."""
    from django.db import connections

    from . import search

    connection = connections[using]
    if connection.vendor != "sqlite" or "showcase_achievement" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'showcase_achievement_fts_%'"
        )
        (triggers,) = cursor.fetchone()
    if triggers < len(search.SQLITE_TRIGGERS):
        search.install_index(connection)
        search.rebuild_sqlite_index(connection)


class ShowcaseConfig(AppConfig):
    name = "showcase"
    verbose_name = _("Achievement showcase")

    def ready(self) -> None:
        from . import figures, topics

        topics.register()
        figures.register()
        post_migrate.connect(_heal_sqlite_search_index, sender=self)
