"""Reads of people that depend on who asks: finding a colleague by name, unit or username.

What a logged-in member may learn of another: the username (to @mention or invite them), the
name shown everywhere on the platform, and the unit. Never the phone, birth year or e-mail."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

PEOPLE_LIMIT = 10  # suggestions, not a directory: a few at a time, refined by typing
QUERY_MAX = 60


def active_user_by_username(username: str):
    """The active account with this username, or None. Callers that act on it (assigning an
    expert, inviting a member) answer a missing and an unsuitable account alike."""
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _terms(query: str) -> list[str]:
    return [term for term in query[:QUERY_MAX].split() if term][:5]


def people_matching(viewer, query: str) -> QuerySet:
    """Active people whose name, username or unit holds every word of `query` (so "张 单位A"
    finds 张 in 单位A), for a logged-in viewer; nobody for the anonymous or an empty query.
    Unbounded and unordered: callers order and cut it (`people_search`)."""
    User = get_user_model()
    terms = _terms(query)
    if not viewer.is_authenticated or not terms:
        return User.objects.none()
    people = User.objects.filter(is_active=True)
    for term in terms:
        people = people.filter(
            Q(display_name__icontains=term)
            | Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(unit__name__icontains=term)
        )
    return people


def people_search(viewer, query: str, *, limit: int = PEOPLE_LIMIT) -> list:
    """At most `limit` people matching `query` (`people_matching`), the exact username first,
    with their unit: one query."""
    exact = Case(When(username=query.strip(), then=Value(0)), default=Value(1), output_field=IntegerField())
    people = people_matching(viewer, query).select_related("unit").order_by(exact, "display_name", "username")
    return list(people[: max(1, min(limit, PEOPLE_LIMIT))])
