"""The learning and exchange search (学习交流搜索): one query over every kind of knowledge registered
in alliances/knowledge.py (courses, experience posts, public Q&A), merged by relevance and then
date, with facets by kind and by field of work, a page at a time.

It knows no kind: each answers for itself who sees what (`visible(user)`, the kind's own list
rule), how a row matches (its GramIndex) and how a row reads as a result (`hit`). The work is a
fixed number of queries per kind, whatever the page size: the count, the ranked ids (at most
RESULT_WINDOW of them), the field facet; then, for the kinds on the page, their rows with their
field tags.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.functional import Promise

from alliances import knowledge
from alliances.knowledge import KnowledgeHit, KnowledgeKind

# Each kind contributes at most this many of its best matches to the merged ranking.
RESULT_WINDOW = 1000
PAGE_SIZE = 20
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class KindFacet:
    key: str
    label: str | Promise
    count: int
    selected: bool


@dataclass(frozen=True)
class FieldFacet:
    id: int
    name: str
    count: int
    selected: bool


@dataclass
class KnowledgeResults:
    query: str
    hits: list[KnowledgeHit]
    count: int
    offset: int
    limit: int
    kinds: list[KindFacet] = field(default_factory=list)
    fields: list[FieldFacet] = field(default_factory=list)
    # True when a kind had more matches than RESULT_WINDOW (the ranking covers its best ones).
    capped: bool = False
    # How many results the merged ranking holds (the pages go this far).
    ranked_count: int = 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.ranked_count

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


@dataclass(frozen=True)
class _Candidate:
    relevance: int
    when: datetime.datetime
    kind: str
    pk: int

    def sort_key(self) -> tuple:
        return (-self.relevance, -self.when.timestamp(), self.kind, -self.pk)


def _moment(value) -> datetime.datetime:
    """A row's date as an aware datetime (a kind may date its rows by a day)."""
    if value is None:
        return _EPOCH
    if not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    return value


def _rows(kind: KnowledgeKind, user, query: str, field_id: int | None) -> QuerySet:
    rows = kind.visible(user)
    if field_id:
        rows = rows.filter(**{kind.fields_lookup: field_id})
    return kind.index.search(rows, query)


def _field_counts(kind: KnowledgeKind, user, query: str) -> dict[tuple[int, str], int]:
    rows = kind.index.matching(kind.visible(user), query)
    lookup = kind.fields_lookup
    counted = (
        rows.values(f"{lookup}__id", f"{lookup}__name").annotate(n=Count("pk", distinct=True)).order_by()
    )
    return {
        (row[f"{lookup}__id"], row[f"{lookup}__name"]): row["n"]
        for row in counted
        if row[f"{lookup}__id"] is not None
    }


def knowledge_search(
    user,
    *,
    query: str = "",
    kind_key: str = "",
    field_id: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> KnowledgeResults:
    """The results `user` may see for `query` (all of them, newest first, without one), in the
    kind `kind_key` and the field `field_id` when given."""
    query = query.strip()
    offset = max(0, offset)
    limit = max(1, limit)
    kinds = knowledge.kinds()
    selected = {kind.key for kind in kinds if not kind_key or kind.key == kind_key}
    kind_facets: list[KindFacet] = []
    field_totals: dict[tuple[int, str], int] = {}
    candidates: list[_Candidate] = []
    count = 0
    capped = False
    for kind in kinds:
        rows = _rows(kind, user, query, field_id)
        kind_count = rows.count()
        kind_facets.append(
            KindFacet(kind.key, kind.label, kind_count, bool(kind_key) and kind.key == kind_key)
        )
        if kind.key not in selected:
            continue
        count += kind_count
        capped = capped or kind_count > RESULT_WINDOW
        for key, n in _field_counts(kind, user, query).items():
            field_totals[key] = field_totals.get(key, 0) + n
        if kind_count:
            ranked = rows.order_by("-relevance", f"-{kind.date_field}", "-pk").values_list(
                "pk", "relevance", kind.date_field
            )[:RESULT_WINDOW]
            candidates += [
                _Candidate(relevance, _moment(when), kind.key, pk) for pk, relevance, when in ranked
            ]
    candidates.sort(key=_Candidate.sort_key)
    page = candidates[offset : offset + limit]
    hits = _hits(user, query, page, {kind.key: kind for kind in kinds})
    fields = sorted(
        (
            FieldFacet(id=key[0], name=key[1], count=n, selected=key[0] == field_id)
            for key, n in field_totals.items()
        ),
        key=lambda facet: (-facet.count, facet.name),
    )
    return KnowledgeResults(
        query=query,
        hits=hits,
        count=count,
        offset=offset,
        limit=limit,
        kinds=kind_facets,
        fields=fields,
        capped=capped,
        ranked_count=len(candidates),
    )


def _hits(user, query: str, page: list[_Candidate], kinds: dict[str, KnowledgeKind]) -> list[KnowledgeHit]:
    """The page's rows as results, in the merged order: per kind on the page, one query for the
    rows and one for their field tags."""
    wanted: dict[str, list[int]] = {}
    for candidate in page:
        wanted.setdefault(candidate.kind, []).append(candidate.pk)
    rows: dict[tuple[str, int], object] = {}
    for key, ids in wanted.items():
        kind = kinds[key]
        for row in kind.visible(user).filter(pk__in=ids).prefetch_related(kind.fields_lookup):
            rows[(key, row.pk)] = row
    return [
        kinds[candidate.kind].hit(rows[(candidate.kind, candidate.pk)], query)
        for candidate in page
        if (candidate.kind, candidate.pk) in rows
    ]
