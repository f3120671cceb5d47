"""The full-text index of courses (see alliances/learning/search.py): a generated tsvector column of
the grams with a GIN index on PostgreSQL, an FTS5 table with triggers on SQLite."""

from django.db import migrations


def install(apps, schema_editor):
    from alliances.learning import search

    search.COURSES.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from alliances.learning import search

    search.COURSES.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
