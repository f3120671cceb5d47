"""Every team made before rooms existed gets its room; on PostgreSQL, message search gets a
trigram index (a Chinese substring search is `icontains`, which a B-tree cannot serve). Django
writes `icontains` as `UPPER(body) LIKE UPPER(…)`, so the index is on UPPER(body)."""

from django.db import migrations


def rooms_for_existing_teams(apps, schema_editor):
    Team = apps.get_model("alliances", "Team")
    Room = apps.get_model("alliances", "Room")
    for team in Team.objects.filter(room__isnull=True):
        Room.objects.create(kind="team", title=team.name, team=team)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS message_body_trgm ON alliances_message USING gin (UPPER(body) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS message_body_trgm")


class Migration(migrations.Migration):
    dependencies = [("alliances", "0002_teams_alliances_rooms")]

    operations = [
        migrations.RunPython(rooms_for_existing_teams, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
