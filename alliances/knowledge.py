"""The learning and exchange search: one Chinese search (platform_core/search.py) over every kind
of shared knowledge the alliance holds — courses, experience posts, public Q&A — with facets by
kind and by field of work (`FieldOfWork`).

Each app declares its kind once, in its AppConfig.ready(), with `register(KnowledgeKind(...))`;
the search page and its API read the registry and know no app. A kind answers for itself who
sees what: `visible(user)` is the same selector its own list page and API use, so the search
never shows a row its owner's page would hide.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from platform_core.search import GramIndex


@dataclass(frozen=True)
class KnowledgeHit:
    """One row of the results, ready to show (title and snippet already highlighted and escaped)."""

    kind: str
    title: str
    snippet: str
    url: str
    when: datetime.datetime
    fields: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeKind:
    key: str  # "course", "post", "qa": the `kind` facet's value
    label: str | Promise
    index: GramIndex
    # Every row `user` may see (anonymous visitors included), as the kind's own list shows it.
    visible: Callable[[object], QuerySet]
    # The lookup from a row to its FieldOfWork tags, e.g. "fields".
    fields_lookup: str
    # The row as a result, its texts highlighted for `query`.
    hit: Callable[[object, str], KnowledgeHit]
    # The row's date for "newest first" (e.g. "published_at").
    date_field: str


_KINDS: dict[str, KnowledgeKind] = {}


def register(kind: KnowledgeKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"knowledge kind {kind.key!r} registered twice")
    _KINDS[kind.key] = kind


def kinds() -> list[KnowledgeKind]:
    return list(_KINDS.values())


def kind(key: str) -> KnowledgeKind | None:
    return _KINDS.get(key)
