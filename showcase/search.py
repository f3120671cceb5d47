"""Full-text search of achievements that works for Chinese, served by an index on both databases.

Chinese has no spaces between words, and a user looks for a two-character word (焊接) from the
middle of a title. Trigram indexes (pg_trgm, SQLite's FTS5 `trigram` tokenizer) cannot serve a
two-character query: it has no trigram. So the text is indexed by its own n-grams, one and two
characters long:

- `grams(...)` turns title, summary, description and the field tags into the set of their
  unigrams and bigrams (within runs of letters and digits, lower-cased, NFKC), stored
  space-separated in `Achievement.search_grams` by the services (and by whoever bulk-creates rows).
- A query is cut the same way (`term_condition`): a term of one or two characters needs its gram
  (exact); an ASCII word of three or more needs all its bigrams, then an exact substring check
  drops the rows whose bigrams matched apart; a longer Chinese term may be several words written
  without a space, and matches what holds pieces of two characters or more that spell it (the
  exact phrase ranks first). All terms must match.
- PostgreSQL: a stored generated tsvector column of the grams (`array_to_tsvector`, so no
  text-search parser or dictionary touches them) with a GIN index, queried with `@@` and a
  tsquery of quoted grams joined by & and | (migration 0002; no extension needed).
- SQLite: an FTS5 table over `search_grams` (external content, kept in step by triggers),
  queried with MATCH on quoted grams joined by AND and OR.

Relevance: a term in the title counts 2, in the summary 1 (RELEVANCE_WEIGHTS); a phrase found as
written counts EXACT_PHRASE_WEIGHT more.
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
    parser: the grams are the lexemes as they are), made by migration 0002 on PostgreSQL only.
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


def index_filter(condition: Condition | list[str]) -> Q | Expression:
    """The index condition, on the database in use."""
    if connection.vendor == "postgresql":
        return GramsMatch(("and", list(condition)) if isinstance(condition, list) else condition)
    if connection.vendor == "sqlite":
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM showcase_achievement_fts WHERE showcase_achievement_fts MATCH %s",
                [_fts_match(condition)],
            )
        )
    # Another database: no index, the substring check alone answers.
    return Q()


def _anywhere(term: str) -> Q:
    """The term as a substring of the indexed text: title, summary, description or a field tag."""
    return (
        Q(title__icontains=term)
        | Q(summary__icontains=term)
        | Q(description__icontains=term)
        | Q(fields__name__icontains=term)
    )


def text_filter(terms: list[str]) -> Q:
    """The exact check of the ASCII words the index alone cannot decide (three characters or
    more: their bigrams may have matched apart). A term of one or two characters is itself a
    gram, found only where it occurs; a phrase is matched by its pieces (`term_condition`)."""
    condition = Q()
    for term in terms:
        if len(term) > 2 and not is_phrase(term):
            condition &= Q(pk__in=_matching_pks(term))
    return condition


def _matching_pks(term: str):
    from .models import Achievement

    return Achievement.objects.filter(_anywhere(term)).values("pk")


# A phrase found as written counts this much more than its pieces found apart.
EXACT_PHRASE_WEIGHT = 10


def search(achievements: QuerySet, query: str) -> QuerySet:
    """The achievements matching `query`, annotated with `relevance` (unordered)."""
    return matching(achievements, query).annotate(relevance=relevance(query))


def matching(achievements: QuerySet, query: str) -> QuerySet:
    """The achievements matching `query` (all of them without one)."""
    terms = query_terms(query)
    if not terms:
        return achievements
    return achievements.filter(index_filter(query_condition(terms))).filter(text_filter(terms))


def relevance(query: str) -> Expression:
    """How well a row matches `query`: RELEVANCE_WEIGHTS per term, EXACT_PHRASE_WEIGHT more for
    a phrase found as written (0 without a query)."""
    terms = query_terms(query)
    score: Expression = Value(0, output_field=IntegerField())
    for term in terms:
        for field, weight in RELEVANCE_WEIGHTS:
            score = score + Case(
                When(**{f"{field}__icontains": term}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
        if is_phrase(term):
            score = score + Case(
                When(
                    Q(title__icontains=term) | Q(summary__icontains=term) | Q(description__icontains=term),
                    then=Value(EXACT_PHRASE_WEIGHT),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
    return score


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
