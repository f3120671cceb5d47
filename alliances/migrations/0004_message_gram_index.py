"""On PostgreSQL, message search gets a gram index for one- and two-character queries.

The trigram index (0003) cannot serve a query under three characters: 巡检 has no trigram, so
searching it scanned every message (a second at 1,000,000). `message_grams(body)` is the set of the
upper-cased body's characters and character pairs; a GIN index over it answers
`message_grams(body) @> ARRAY['巡检']` (alliances.selectors.message_search). The function is
declared costly (it is: about 0.1 ms a message), so that where PostgreSQL walks the newest messages
instead of using the index it tests the cheap LIKE first and computes grams only for the rows
that pass. A B-tree on (created_at, id) lets a common word be found by
walking the newest messages first and stopping at the page's end. Building the index on an existing
table computes the grams of every message once (about a minute per million)."""

from django.db import migrations

GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION message_grams(body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5000 AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (SELECT upper(body) AS text) AS upper_body,
         LATERAL (
             SELECT substr(text, position, 1) AS gram FROM generate_series(1, length(text)) AS position
             UNION ALL
             SELECT substr(text, position, 2) FROM generate_series(1, length(text) - 1) AS position
         ) AS grams
$$
"""


def gram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS_FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS message_body_grams ON alliances_message USING gin (message_grams(body))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS message_newest ON alliances_message (created_at DESC, id DESC)"
    )


def drop_gram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS message_newest")
        schema_editor.execute("DROP INDEX IF EXISTS message_body_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS message_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("alliances", "0003_rooms_for_teams_and_search_index")]

    operations = [migrations.RunPython(gram_index, drop_gram_index)]
