"""The full-text index of achievements (see showcase/search.py): a generated tsvector column of the
grams with a GIN index on PostgreSQL, an FTS5 table with triggers on SQLite, nothing on other databases."""

from django.db import migrations


def install(apps, schema_editor):
    from showcase import search

    search.install_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    from showcase import search

    search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("showcase", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
