"""The search index text now holds the field tags as well (a tag such as 故障定位 is searched):
recompute `search_grams` of every achievement. The SQLite FTS table follows through its update
trigger, the PostgreSQL gram vector is a generated column."""

from django.db import migrations


def reindex(apps, schema_editor):
    from showcase import search

    Achievement = apps.get_model("showcase", "Achievement")
    batch = []
    for achievement in Achievement.objects.prefetch_related("fields").iterator(chunk_size=500):
        grams = search.grams(
            achievement.title,
            achievement.summary,
            achievement.description,
            *(tag.name for tag in achievement.fields.all()),
        )
        if grams != achievement.search_grams:
            achievement.search_grams = grams
            batch.append(achievement)
        if len(batch) >= 500:
            Achievement.objects.bulk_update(batch, ["search_grams"])
            batch = []
    if batch:
        Achievement.objects.bulk_update(batch, ["search_grams"])


class Migration(migrations.Migration):
    dependencies = [("showcase", "0003_inquiry_room")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
