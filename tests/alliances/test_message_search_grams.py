"""Message search for one- and two-character queries: exact on both databases, and on PostgreSQL
served by the gram index (migration 0004), which the trigram index cannot do under three characters."""

from __future__ import annotations

from django.db import connection

from alliances import selectors
from alliances.models import Message
from alliances.services import rooms


def send(user, room, client_id: str, body: str) -> None:
    rooms.message_send(actor=user, room_id=room.pk, client_id=client_id, body=body)


def bodies(user, query: str) -> list[str]:
    return sorted(message.body for message in selectors.message_search(user, query))


def test_short_queries_find_exactly_the_messages_holding_them(cast, world):
    send(cast.member, world.room, "a", "明天讨论变电站巡检方案")
    send(cast.leader2, world.room, "b", "巡视和检修分开安排")  # 巡 and 检, never 巡检
    send(cast.member, world.room, "c", "Use the AB switch")
    assert bodies(cast.leader2, "巡检") == ["明天讨论变电站巡检方案"]  # two characters from the middle
    assert bodies(cast.leader2, "巡") == sorted(["明天讨论变电站巡检方案", "巡视和检修分开安排"])
    assert bodies(cast.leader2, "ab") == ["Use the AB switch"]  # any case
    assert bodies(cast.leader2, "检修") == ["巡视和检修分开安排"]
    assert bodies(cast.outsider, "巡检") == []
    assert bodies(cast.leader2, "变电站巡检") == ["明天讨论变电站巡检方案"]  # longer: the trigram index


def test_postgres_serves_a_two_character_query_from_the_gram_index(require_postgres, cast, world):
    send(cast.member, world.room, "a", "明天讨论变电站巡检方案")
    messages = selectors.message_search(cast.member, "巡检")
    assert [m.body for m in messages] == ["明天讨论变电站巡检方案"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_grams('巡检ab')")
        assert set(cursor.fetchone()[0]) == {"巡", "检", "A", "B", "巡检", "检A", "AB"}
        cursor.execute("SET enable_seqscan = off")  # a tiny test table: ask whether the index can serve
        sql, params = (
            Message.objects.filter(selectors._text_filter("巡检")).values("pk").query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "message_body_grams" in plan, plan
