"""The full-text index of public Q&A (see alliances/consulting/search.py): a generated tsvector
column of the grams with a GIN index on PostgreSQL, an FTS5 table with triggers on SQLite."""

from django.db import migrations


def install(apps, schema_editor):
    from alliances.consulting.search import QA

    QA.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from alliances.consulting.search import QA

    QA.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("consulting", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
