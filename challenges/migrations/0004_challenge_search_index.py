"""The board's text search moves to the Chinese gram index (challenges/search.py): the grams of
every challenge's title and statement, then the index itself (a generated tsvector column with a
GIN index on PostgreSQL, an FTS5 table with triggers on SQLite)."""

from django.db import migrations, models


def fill_and_index(apps, schema_editor):
    from challenges.search import CHALLENGES, challenge_grams

    Challenge = apps.get_model("challenges", "Challenge")
    batch = []
    for challenge in Challenge.objects.only("pk", "title", "statement").iterator(chunk_size=500):
        challenge.search_grams = challenge_grams(challenge.title, challenge.statement)
        batch.append(challenge)
        if len(batch) >= 500:
            Challenge.objects.bulk_update(batch, ["search_grams"])
            batch = []
    if batch:
        Challenge.objects.bulk_update(batch, ["search_grams"])
    CHALLENGES.install(schema_editor.connection)


def drop_index(apps, schema_editor):
    from challenges.search import CHALLENGES

    CHALLENGES.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("challenges", "0003_board_sort_indexes")]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_and_index, drop_index),
    ]
