"""The full-text index of experience posts (see alliances/exchange/search.py): a generated tsvector
column of the grams with a GIN index on PostgreSQL, an FTS5 table with triggers on SQLite."""

from django.db import migrations


def install(apps, schema_editor):
    from alliances.exchange import search

    search.POSTS.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from alliances.exchange import search

    search.POSTS.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
