"""Full-text search that works for Chinese, served by an index on both databases. The showcase's
achievements, and the courses, experience posts and public Q&A of the alliance, each declare one
`GramIndex` over their table and search through it.

Chinese has no spaces between words, and a user looks for a two-character word (焊接) from the
middle of a title. Trigram indexes (pg_trgm, SQLite's FTS5 `trigram` tokenizer) cannot serve a
two-character query: it has no trigram. So the text is indexed by its own n-grams, one and two
characters long:

- `grams(...)` turns the searched texts (title, summary, body, tags…) into the set of their
  unigrams and bigrams (within runs of letters and digits, lower-cased, NFKC), stored
  space-separated in the model's `search_grams` text field by its services (and by whoever
  bulk-creates rows).
- A query is cut the same way (`term_condition`): a term of one or two characters needs its gram
  (exact); an ASCII word of three or more needs all its bigrams, then an exact substring check
  drops the rows whose bigrams matched apart; a longer Chinese term may be several words written
  without a space, and matches what holds pieces of two characters or more that spell it (the
  exact phrase ranks first). All terms must match.
- PostgreSQL: a stored generated tsvector column `search_vector` of the grams
  (`array_to_tsvector`, so no text-search parser or dictionary touches them) with a GIN index,
  queried with `@@` and a tsquery of quoted grams joined by & and | (no extension needed).
- SQLite: an FTS5 table `<table>_fts` over `search_grams` (external content, kept in step by
  triggers), queried with MATCH on quoted grams joined by AND and OR.

A model joins in three steps: a `search_grams = models.TextField(editable=False, blank=True)`
field that its services fill with `grams(...)`; a `GramIndex` naming its table and fields; a
migration whose RunPython calls `index.install(schema_editor.connection)` (`index.drop`
backwards), with `index.heal_sqlite` connected to post_migrate in its AppConfig (SQLite drops a
table's triggers when a migration remakes the table). `highlight` marks the terms in a snippet.

Relevance: each term scores the weight of every field it occurs in (`GramIndex.weights`); a
phrase found as written counts EXACT_PHRASE_WEIGHT more.
"""

# The SQL below is built from the table names a GramIndex declares in code, never from input:
# ruff: noqa: S608, S611
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, connections
from django.db.models import BooleanField, Case, Expression, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
_RUN = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    return [run.lower() for run in _RUN.findall(unicodedata.normalize("NFKC", text or ""))]


def _grams_of_run(run: str) -> set[str]:
    return set(run) | {run[index : index + 2] for index in range(len(run) - 1)}


def grams(*texts: str) -> str:
    """The index text of a row: its distinct unigrams and bigrams, space-separated."""
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
    """Every gram the terms touch (the grams an exact match of each term holds)."""
    needed: set[str] = set()
    for term in terms:
        needed |= {term} if len(term) == 1 else {term[index : index + 2] for index in range(len(term) - 1)}
    return sorted(needed)


def is_phrase(term: str) -> bool:
    """A term that may be a phrase of several words written without spaces: Chinese (and any
    non-ASCII script) of three characters or more. An ASCII word is a word: it is matched whole."""
    return len(term) > 2 and not term.isascii()


# A condition over the gram index: a gram, or ("and" | "or", [conditions]).
Condition = str | tuple[str, list]


def _bigram(term: str, position: int) -> str:
    return term[position - 1 : position + 1]


def term_condition(term: str) -> Condition:
    """What the index must hold for `term`.

    - one or two characters: the gram itself (exact);
    - an ASCII word: every bigram (the exact substring check follows, `text_filter`);
    - an unspaced phrase (变电站巡检): pieces of two characters or more that together spell it.
      With `b1 … b(n-1)` its bigrams, a break between two pieces may fall where a bigram is
      missing, but not at either end and never twice in a row (that would leave a
      one-character piece): b1 and b(n-1) are needed, and each inner bi is there or both its
      neighbours are. So 变电站巡检 finds 变电站 … 巡检 (站巡 missing, 电站 and 巡检 there),
      and the exact phrase ranks first (`relevance`)."""
    if len(term) <= 2:
        return term
    last = len(term) - 1
    if not is_phrase(term):
        return ("and", sorted({_bigram(term, i) for i in range(1, last + 1)}))
    parts: list[Condition] = [_bigram(term, 1), _bigram(term, last)]
    for i in range(2, last):
        parts.append(("or", [_bigram(term, i), ("and", [_bigram(term, i - 1), _bigram(term, i + 1)])]))
    return ("and", parts)


def query_condition(terms: list[str]) -> Condition:
    return ("and", [term_condition(term) for term in terms])


def _render(condition: Condition, quote, joiners: dict[str, str]) -> str:
    if isinstance(condition, str):
        return quote(condition)
    kind, parts = condition
    return "(" + joiners[kind].join(_render(part, quote, joiners) for part in parts) + ")"


class GramsMatch(Func):
    """PostgreSQL: the row's gram vector satisfies the condition (served by the GIN index).

    `search_vector` is a stored generated column, array_to_tsvector of the grams (no text-search
    parser: the grams are the lexemes as they are), made by `GramIndex.install` on PostgreSQL only.
    The query is a tsquery of quoted lexemes joined by & and |. A Func over the grams column, so
    the table alias is right inside subqueries too."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, condition: Condition):
        super().__init__(F("search_grams"))
        self.condition = condition

    def as_sql(self, compiler, connection, **extra_context):
        column = self.source_expressions[0]
        vector = (
            f"{compiler.quote_name_unless_alias(column.alias)}.{connection.ops.quote_name('search_vector')}"
        )
        return f"{vector} @@ %s::tsquery", [tsquery(self.condition)]


def _lexeme(gram: str) -> str:
    return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(condition: Condition | list[str]) -> str:
    """`('a' & ('b' | 'c'))`: each gram a quoted lexeme (a quote or backslash in it escaped). A
    list of grams means all of them."""
    if isinstance(condition, list):
        condition = ("and", list(condition))
    return _render(condition, _lexeme, {"and": " & ", "or": " | "})


def _fts_match(condition: Condition | list[str]) -> str:
    if isinstance(condition, list):
        condition = ("and", list(condition))
    return _render(
        condition, lambda gram: '"' + gram.replace('"', '""') + '"', {"and": " AND ", "or": " OR "}
    )


# A phrase found as written counts this much more than its pieces found apart.
EXACT_PHRASE_WEIGHT = 10


@dataclass(frozen=True)
class GramIndex:
    """The gram index of one table, and the searches over it.

    `model`: "app_label.ModelName"; `table`: its db_table; `gin_name`: the PostgreSQL index's
    name; `texts`: the lookups an exact substring check reads (a related one such as
    `fields__name` allowed); `weights`: (field, weight) pairs scoring relevance (fields of the
    model itself); `phrase_texts`: where a phrase found as written earns EXACT_PHRASE_WEIGHT."""

    model: str
    table: str
    gin_name: str
    texts: tuple[str, ...]
    weights: tuple[tuple[str, int], ...]
    phrase_texts: tuple[str, ...]

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    def index_filter(self, condition: Condition | list[str]) -> Q | Expression:
        """The index condition, on the database in use."""
        if connection.vendor == "postgresql":
            return GramsMatch(("and", list(condition)) if isinstance(condition, list) else condition)
        if connection.vendor == "sqlite":
            return Q(
                pk__in=RawSQL(
                    f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s",
                    [_fts_match(condition)],
                )
            )
        # Another database: no index, the substring check alone answers.
        return Q()

    def _anywhere(self, term: str) -> Q:
        """The term as a substring of any indexed text."""
        condition = Q()
        for lookup in self.texts:
            condition |= Q(**{f"{lookup}__icontains": term})
        return condition

    def text_filter(self, terms: list[str]) -> Q:
        """The exact check of the ASCII words the index alone cannot decide (three characters or
        more: their bigrams may have matched apart). A term of one or two characters is itself a
        gram, found only where it occurs; a phrase is matched by its pieces (`term_condition`)."""
        condition = Q()
        for term in terms:
            if len(term) > 2 and not is_phrase(term):
                rows = apps.get_model(self.model).objects.filter(self._anywhere(term)).values("pk")
                condition &= Q(pk__in=rows)
        return condition

    def search(self, rows: QuerySet, query: str) -> QuerySet:
        """The rows matching `query`, annotated with `relevance` (unordered)."""
        return self.matching(rows, query).annotate(relevance=self.relevance(query))

    def matching(self, rows: QuerySet, query: str) -> QuerySet:
        """The rows matching `query` (all of them without one)."""
        terms = query_terms(query)
        if not terms:
            return rows
        return rows.filter(self.index_filter(query_condition(terms))).filter(self.text_filter(terms))

    def relevance(self, query: str) -> Expression:
        """How well a row matches `query`: `weights` per term, EXACT_PHRASE_WEIGHT more for a
        phrase found as written (0 without a query)."""
        score: Expression = Value(0, output_field=IntegerField())
        for term in query_terms(query):
            for field, weight in self.weights:
                score = score + Case(
                    When(**{f"{field}__icontains": term}, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            if is_phrase(term):
                phrase = Q()
                for lookup in self.phrase_texts:
                    phrase |= Q(**{f"{lookup}__icontains": term})
                score = score + Case(
                    When(phrase, then=Value(EXACT_PHRASE_WEIGHT)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
        return score

    # The index itself, per database: installed by a migration of the owning app, the SQLite
    # triggers again after every migrate (`heal_sqlite`).
    def postgres_statements(self) -> list[str]:
        return [
            f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(search_grams, ' '))) STORED",
            f"CREATE INDEX IF NOT EXISTS {self.gin_name} ON {self.table} USING gin (search_vector)",
            # Without statistics of the new column the planner guesses a match in 0.5% of the rows,
            # and for a word in every row it sorts them all instead of walking the sort's index.
            f"ANALYZE {self.table}",
        ]

    def sqlite_table(self) -> str:
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts_table} USING fts5("
            f"search_grams, content='{self.table}', content_rowid='id', tokenize='unicode61')"
        )

    def sqlite_triggers(self) -> list[str]:
        fts, table = self.fts_table, self.table
        return [
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, search_grams) VALUES (new.id, new.search_grams); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_grams ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams); "
            f"INSERT INTO {fts}(rowid, search_grams) VALUES (new.id, new.search_grams); END",
        ]

    def install(self, schema_connection) -> None:
        with schema_connection.cursor() as cursor:
            if schema_connection.vendor == "postgresql":
                for statement in self.postgres_statements():
                    cursor.execute(statement)
            elif schema_connection.vendor == "sqlite":
                cursor.execute(self.sqlite_table())
                for trigger in self.sqlite_triggers():
                    cursor.execute(trigger)

    def rebuild_sqlite(self, schema_connection) -> None:
        """Refill the FTS table from the rows (after triggers were lost and re-created)."""
        with schema_connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts_table}({self.fts_table}) VALUES ('rebuild')")

    def drop(self, schema_connection) -> None:
        with schema_connection.cursor() as cursor:
            if schema_connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {self.gin_name}")
                cursor.execute(f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS search_vector")
            elif schema_connection.vendor == "sqlite":
                for name in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {self.fts_table}_{name}")
                cursor.execute(f"DROP TABLE IF EXISTS {self.fts_table}")

    def heal_sqlite(self, sender=None, using: str = "default", **kwargs) -> None:
        """A post_migrate receiver: SQLite drops a table's triggers when a migration remakes the
        table, so put the FTS triggers back (and refill the index) whenever they are missing."""
        schema_connection = connections[using]
        tables = schema_connection.introspection.table_names()
        if schema_connection.vendor != "sqlite" or self.table not in tables:
            return
        with schema_connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{self.fts_table}_%"],
            )
            (triggers,) = cursor.fetchone()
        if triggers < len(self.sqlite_triggers()):
            self.install(schema_connection)
            self.rebuild_sqlite(schema_connection)


def _highlight_pattern(terms: list[str]) -> re.Pattern | None:
    """The terms, and for a phrase its pieces of two characters or more, longest first (so the
    whole phrase is marked where it is written, its pieces where they are apart)."""
    pieces: set[str] = set()
    for term in terms:
        pieces.add(term)
        if is_phrase(term):
            pieces |= {
                term[start:end]
                for start in range(len(term))
                for end in range(start + 2, min(len(term), start + 12) + 1)
            }
    if not pieces:
        return None
    return re.compile("|".join(re.escape(piece) for piece in sorted(pieces, key=len, reverse=True)), re.I)


def highlight(text: str, query: str, *, around: int | None = None) -> SafeString:
    """`text` escaped, with the query's terms wrapped in <mark>. Every piece of user text is
    escaped before it is joined; only the <mark> tags are ours. With `around`, a snippet of
    about that many characters on each side of the first match."""
    text = text or ""
    pattern = _highlight_pattern(query_terms(query))
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
