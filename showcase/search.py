"""Full-text search of achievements that works for Chinese, served by an index on both databases.

Chinese has no spaces between words, and a user looks for a two-character word (焊接) from the
middle of a title. Trigram indexes (pg_trgm, SQLite's FTS5 `trigram` tokenizer) cannot serve a
two-character query: it has no trigram. So the text is indexed by its own n-grams, one and two
characters long:

- `grams(...)` turns title, summary and description into the set of their unigrams and bigrams
  (within runs of letters and digits, lower-cased, NFKC), stored space-separated in
  `Achievement.search_grams` by the services (and by whoever bulk-creates rows).
- A query is cut the same way: every term of two or more characters needs all its bigrams, a
  one-character term needs its unigram. The index finds the candidates. A term of one or two
  characters is a gram itself, so the index answer is exact; for a longer term an exact substring
  check (`icontains` on the three fields) drops the rows whose bigrams matched apart.
- PostgreSQL: a stored generated tsvector column of the grams (`array_to_tsvector`, so no
  text-search parser or dictionary touches them) with a GIN index, queried with `@@` and a
  tsquery of quoted grams (migration 0002; no extension needed).
- SQLite: an FTS5 table over `search_grams` (external content, kept in step by triggers),
  queried with MATCH on quoted grams.

Relevance: a term in the title counts 2, in the summary 1 (RELEVANCE_WEIGHTS).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, Case, Expression, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 8
# A term in the title counts 2, in the summary 1. The description is searched, not scored: testing
# it again for each of tens of thousands of matches of a common word costs more than it tells.
RELEVANCE_WEIGHTS = (("title", 2), ("summary", 1))
MAX_TERM_LENGTH = 40
_RUN = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    return [run.lower() for run in _RUN.findall(unicodedata.normalize("NFKC", text or ""))]


def _grams_of_run(run: str) -> set[str]:
    return set(run) | {run[index : index + 2] for index in range(len(run) - 1)}


def grams(*texts: str) -> str:
    """The index text of an achievement: its distinct unigrams and bigrams, space-separated."""
    found: set[str] = set()
    for text in texts:
        for run in _runs(text):
            found |= _grams_of_run(run)
    return " ".join(sorted(found))


def query_terms(query: str) -> list[str]:
    """The terms of a query (runs of letters and digits), bounded so a query stays cheap."""
    terms: list[str] = []
    for run in _runs(query):
        if run not in terms:
            terms.append(run[:MAX_TERM_LENGTH])
    return terms[:MAX_TERMS]


def required_grams(terms: list[str]) -> list[str]:
    needed: set[str] = set()
    for term in terms:
        needed |= {term} if len(term) == 1 else {term[index : index + 2] for index in range(len(term) - 1)}
    return sorted(needed)


class GramsMatch(Func):
    """PostgreSQL: the row's gram vector holds every gram asked for (served by the GIN index).

    `search_vector` is a stored generated column, array_to_tsvector of the grams (no text-search
    parser: the grams are the lexemes as they are), made by migration 0002 on PostgreSQL only.
    The query is a tsquery of quoted lexemes joined by &. A Func over the grams column, so the
    table alias is right inside subqueries too."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, needed: list[str]):
        super().__init__(F("search_grams"))
        self.needed = needed

    def as_sql(self, compiler, connection, **extra_context):
        column = self.source_expressions[0]
        vector = (
            f"{compiler.quote_name_unless_alias(column.alias)}.{connection.ops.quote_name('search_vector')}"
        )
        return f"{vector} @@ %s::tsquery", [tsquery(self.needed)]


def tsquery(needed: list[str]) -> str:
    """`'a' & 'b'`: each gram a quoted lexeme (a quote or backslash in it escaped)."""
    return " & ".join("'" + gram.replace("\\", "\\\\").replace("'", "''") + "'" for gram in needed)


def _fts_match(needed: list[str]) -> str:
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in needed)


def index_filter(needed: list[str]) -> Q | Expression:
    """The index condition for these grams, on the database in use."""
    if connection.vendor == "postgresql":
        return GramsMatch(needed)
    if connection.vendor == "sqlite":
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM showcase_achievement_fts WHERE showcase_achievement_fts MATCH %s",
                [_fts_match(needed)],
            )
        )
    # Another database: no index, the substring check alone answers.
    return Q()


def text_filter(terms: list[str]) -> Q:
    """The exact check of the terms the index alone cannot decide: those of three characters or
    more, whose bigrams may have matched apart. A term of one or two characters is itself a gram,
    found only where it occurs: checking it again would scan every match of a common word."""
    condition = Q()
    for term in terms:
        if len(term) > 2:
            condition &= (
                Q(title__icontains=term) | Q(summary__icontains=term) | Q(description__icontains=term)
            )
    return condition


def search(achievements: QuerySet, query: str) -> QuerySet:
    """The achievements matching `query`, annotated with `relevance` (unordered)."""
    terms = query_terms(query)
    if not terms:
        return achievements.annotate(relevance=Value(0, output_field=IntegerField()))
    matched = achievements.filter(index_filter(required_grams(terms))).filter(text_filter(terms))
    relevance: Expression = Value(0, output_field=IntegerField())
    for term in terms:
        for field, weight in RELEVANCE_WEIGHTS:
            relevance = relevance + Case(
                When(**{f"{field}__icontains": term}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return matched.annotate(relevance=relevance)


def highlight(text: str, query: str, *, around: int | None = None) -> SafeString:
    """`text` escaped, with the query's terms wrapped in <mark>. Every piece of user text is
    escaped before it is joined; only the <mark> tags are ours. With `around`, a snippet of
    about that many characters on each side of the first match."""
    text = text or ""
    terms = query_terms(query)
    pattern = (
        re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
        if terms
        else None
    )
    if around is not None:
        first = pattern.search(text) if pattern else None
        start = max(0, first.start() - around) if first else 0
        end = min(len(text), (first.end() if first else 0) + around)
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if pattern is None:
        return conditional_escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(str(conditional_escape(text[position : match.start()])))
        pieces.append(f"<mark>{conditional_escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(str(conditional_escape(text[position:])))
    return mark_safe("".join(pieces))  # noqa: S308  every piece of user text above is escaped


# The index, per database (run by migration 0002; the SQLite triggers again after every migrate,
# since SQLite drops a table's triggers when a migration remakes the table).
POSTGRES_INDEX = [
    "ALTER TABLE showcase_achievement ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(search_grams, ' '))) STORED",
    "CREATE INDEX IF NOT EXISTS achievement_search_vector_gin "
    "ON showcase_achievement USING gin (search_vector)",
]
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS showcase_achievement_fts USING fts5("
    "search_grams, content='showcase_achievement', content_rowid='id', tokenize='unicode61')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS showcase_achievement_fts_ai AFTER INSERT ON showcase_achievement BEGIN "
    "INSERT INTO showcase_achievement_fts(rowid, search_grams) VALUES (new.id, new.search_grams); END",
    "CREATE TRIGGER IF NOT EXISTS showcase_achievement_fts_ad AFTER DELETE ON showcase_achievement BEGIN "
    "INSERT INTO showcase_achievement_fts(showcase_achievement_fts, rowid, search_grams) "
    "VALUES ('delete', old.id, old.search_grams); END",
    "CREATE TRIGGER IF NOT EXISTS showcase_achievement_fts_au AFTER UPDATE OF search_grams "
    "ON showcase_achievement BEGIN "
    "INSERT INTO showcase_achievement_fts(showcase_achievement_fts, rowid, search_grams) "
    "VALUES ('delete', old.id, old.search_grams); "
    "INSERT INTO showcase_achievement_fts(rowid, search_grams) VALUES (new.id, new.search_grams); END",
]


def install_index(schema_connection) -> None:
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "postgresql":
            for statement in POSTGRES_INDEX:
                cursor.execute(statement)
        elif schema_connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(trigger)


def rebuild_sqlite_index(schema_connection) -> None:
    """Refill the FTS table from the rows (after triggers were lost and re-created)."""
    with schema_connection.cursor() as cursor:
        cursor.execute("INSERT INTO showcase_achievement_fts(showcase_achievement_fts) VALUES ('rebuild')")


def drop_index(schema_connection) -> None:
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS achievement_search_vector_gin")
            cursor.execute("ALTER TABLE showcase_achievement DROP COLUMN IF EXISTS search_vector")
        elif schema_connection.vendor == "sqlite":
            for name in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS showcase_achievement_fts_{name}")
            cursor.execute("DROP TABLE IF EXISTS showcase_achievement_fts")
