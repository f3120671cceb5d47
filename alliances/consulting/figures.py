"""The consultation figures of a union admin (their scope: questions asked by people of their
units): per committee, questions asked and answered, the time to the first answer and the
ratings. Read by the union's consultation figures page (`/consulting/figures/`) and its API.

The first answer is the taking expert's first message in the thread, or the final answer when
they wrote none before it. The union dashboard links here; the per-committee rows are not scope
figures (those are one value each, registered at start-up; committees are records).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from alliances.models import Message
from platform_core.accounts.models import Committee
from platform_core.orgs.scope_figures import in_scope
from platform_core.orgs.union import union_scope

from .models import Consultation


@dataclass
class CommitteeFigures:
    committee: Committee
    asked: int = 0
    answered: int = 0
    # Hours from asking to the first answer, averaged over the questions that have one.
    first_answer_hours: float | None = None
    rated: int = 0
    average_rating: float | None = None
    # Ratings 1 to 5, how many of each.
    rating_counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)


def committee_figures(user) -> list[CommitteeFigures]:
    """One row per committee, in two queries whatever the number of questions' committees."""
    units = union_scope(user)
    first_message = (
        Message.objects.filter(room=OuterRef("room"), sender=OuterRef("expert"), deleted_at__isnull=True)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = (
        Consultation.objects.filter(in_scope("asker__unit", units))
        .annotate(first_answer=Coalesce(Subquery(first_message), F("answered_at")))
        .values_list("committee_id", "created_at", "first_answer", "answered_at", "rating")
    )
    asked: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    hours: dict[int, list[float]] = defaultdict(list)
    ratings: dict[int, list[int]] = defaultdict(list)
    for committee_id, created_at, first_answer, answered_at, rating in rows:
        asked[committee_id] += 1
        if answered_at is not None:
            answered[committee_id] += 1
        if first_answer is not None:
            hours[committee_id].append((first_answer - created_at).total_seconds() / 3600)
        if rating is not None:
            ratings[committee_id].append(rating)
    result = []
    for committee in Committee.objects.order_by("pk"):
        pk = committee.pk
        given = ratings[pk]
        result.append(
            CommitteeFigures(
                committee=committee,
                asked=asked[pk],
                answered=answered[pk],
                first_answer_hours=round(sum(hours[pk]) / len(hours[pk]), 1) if hours[pk] else None,
                rated=len(given),
                average_rating=round(sum(given) / len(given), 2) if given else None,
                rating_counts=tuple(given.count(value) for value in range(1, 6)),  # type: ignore[arg-type]
            )
        )
    return result
