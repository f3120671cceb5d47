"""Reads of units and studios that depend on who asks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from . import permissions
from .models import COVERAGE_HEADCOUNT, Studio, StudioMembership, Unit


def studio_directory(
    user, *, query: str = "", type: str = "", level: str = "", unit_id: int | None = None
) -> QuerySet[Studio]:
    studios = Studio.objects.select_related("unit", "leader").annotate(member_count=Count("memberships"))
    # Delisted studios stay visible to the admins over their unit (and to nobody else in lists).
    if user.is_superuser:
        pass
    elif permissions.is_union_admin(user):
        studios = studios.filter(Q(status=Studio.Status.ACTIVE) | permissions.admin_scope_filter(user))
    else:
        studios = studios.filter(status=Studio.Status.ACTIVE)
    if query:
        studios = studios.filter(
            Q(name__icontains=query) | Q(unit__name__icontains=query) | Q(description__icontains=query)
        )
    if type:
        studios = studios.filter(type=type)
    if level:
        studios = studios.filter(level=level)
    if unit_id:
        # A group's page lists the studios of every unit below it too.
        studios = studios.filter(unit__in=permissions.unit_subtree(unit_id))
    return studios.order_by("name")


def studio_for_viewer(user, pk: int) -> Studio:
    """One studio with its member count, if `user` may see it: 404 if there is none, 403 if hidden."""
    studios = Studio.objects.select_related("unit", "leader").annotate(member_count=Count("memberships"))
    studio = get_object_or_404(studios, pk=pk)
    if not permissions.can_view_studio(user, studio):
        raise PermissionDenied
    return studio


def studio_members(studio: Studio) -> QuerySet[StudioMembership]:
    return studio.memberships.select_related("user__unit").order_by("joined_on", "pk")


@dataclass
class TeamStructure:
    """The shape of a studio's team (seed item 20): age tiers, roles, units it draws from."""

    age_tiers: list[tuple[str, int]]
    roles: list[tuple[str, int]]
    units: list[tuple[str, int]]
    total: int


AGE_TIERS = [(0, 30, "≤30"), (31, 40, "31–40"), (41, 50, "41–50"), (51, 200, "≥51")]


def studio_team_structure(studio: Studio, *, today_year: int) -> TeamStructure:
    memberships = list(studio_members(studio))
    tiers: Counter[str] = Counter()
    unknown = 0
    for membership in memberships:
        year = membership.user.birth_year
        if not year:
            unknown += 1
            continue
        age = today_year - year
        for low, high, label in AGE_TIERS:
            if low <= age <= high:
                tiers[label] += 1
                break
    age_tiers = [(label, tiers[label]) for _low, _high, label in AGE_TIERS]
    if unknown:
        age_tiers.append((str(_("not given")), unknown))
    role_counts = Counter(m.get_role_display() for m in memberships)
    unit_counts = Counter(str(m.user.unit or "—") for m in memberships)
    return TeamStructure(
        age_tiers=age_tiers,
        roles=sorted(role_counts.items(), key=lambda item: -item[1]),
        units=unit_counts.most_common(6),
        total=len(memberships),
    )


@dataclass
class Coverage:
    required: int
    covered: int
    gaps: Sequence[Unit]

    @property
    def ratio(self) -> float:
        return self.covered / self.required if self.required else 1.0


def coverage(units: QuerySet[Unit] | None = None) -> Coverage:
    """Seed item 6: units with their own union committee and 300+ staff should each have a studio."""
    units = Unit.objects.all() if units is None else units
    required = (
        units.filter(has_union_committee=True, headcount__gte=COVERAGE_HEADCOUNT)
        .exclude(kind=Unit.Kind.GROUP)
        .annotate(active_studios=Count("studios", filter=Q(studios__status=Studio.Status.ACTIVE)))
    )
    gaps = [unit for unit in required if unit.active_studios == 0]
    total = len(required)
    return Coverage(required=total, covered=total - len(gaps), gaps=gaps)


@dataclass
class UnitPage:
    unit: Unit
    studios: QuerySet[Studio]
    children: QuerySet[Unit]
    coverage: Coverage


def unit_page(user, pk: int) -> UnitPage:
    """A unit, the studios under it that `user` may list, its member units, and whether the
    coverage rule is met for it (the same computation as the platform figure)."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    children = unit.children.annotate(
        studio_count=Count("studios", filter=Q(studios__status=Studio.Status.ACTIVE))
    ).order_by("name")
    return UnitPage(
        unit=unit,
        studios=studio_directory(user, unit_id=unit.pk),
        children=children,
        coverage=coverage(Unit.objects.filter(pk=unit.pk)),
    )


@dataclass
class StudioFigures:
    """The platform's figures on the home page: active studios by level and type, coverage."""

    by_level: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    studio_total: int
    unit_total: int
    coverage: Coverage


def studio_figures() -> StudioFigures:
    active = Studio.objects.filter(status=Studio.Status.ACTIVE)
    by_level = dict(active.values_list("level").annotate(n=Count("id")))
    by_type = dict(active.values_list("type").annotate(n=Count("id")))
    return StudioFigures(
        by_level=[(str(label), by_level.get(value, 0)) for value, label in Studio.Level.choices],
        by_type=[(str(label), by_type.get(value, 0)) for value, label in Studio.Type.choices],
        studio_total=sum(by_level.values()),
        unit_total=Unit.objects.exclude(kind=Unit.Kind.GROUP).count(),
        coverage=coverage(),
    )


@dataclass
class OwnStudios:
    led: QuerySet[Studio]
    # Studios the user belongs to without leading them.
    memberships: QuerySet[StudioMembership]


def own_studios(user) -> OwnStudios:
    return OwnStudios(
        led=user.led_studios.select_related("unit").order_by("name"),
        memberships=StudioMembership.objects.filter(user=user)
        .exclude(studio__leader=user)
        .select_related("studio__unit")
        .order_by("studio__name"),
    )


def units_by_name() -> QuerySet[Unit]:
    """Every unit, for a form's unit choice (a problem may be reported to any unit)."""
    return Unit.objects.order_by("name")
