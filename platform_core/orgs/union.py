"""The union's view of its scope: coverage (目标方向) and the dashboard's figures.

A union admin sees the units under their groups and in their regions (`permissions.
admin_scope_filter`), a superuser the whole platform. Every figure here costs a fixed number of
queries, whatever the number of units and studios in the scope: the tests hold it to that.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import COVERAGE_HEADCOUNT, Studio, Unit
from .scope_figures import GROUP_LABELS, ScopeFigureValue, UnitScope, scope_figures


def union_scope(user) -> UnitScope:
    """The units `user` oversees as a subquery of ids, None for the whole platform (superusers).
    Refuses anyone who is no union admin."""
    if not permissions.is_union_admin(user):
        raise PermissionDenied(_("Only union admins see the figures of their scope."))
    if user.is_superuser:
        return None
    return Unit.objects.filter(permissions.admin_scope_filter(user, "pk")).values("pk")


def _scoped_units(units: UnitScope):
    return Unit.objects.all() if units is None else Unit.objects.filter(pk__in=units)


# Coverage -----------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    label: str
    required: int = 0
    covered: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.covered

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.required, 1) if self.required else 100.0


@dataclass
class GapUnit:
    pk: int
    name: str
    group: str
    region: str
    headcount: int


@dataclass
class CoverageReport:
    """Units with their own union committee and 300+ staff (Unit.coverage_required), and which of
    them have at least one active studio: in all, by group, by region, and those still missing one."""

    total: CoverageRow
    by_group: list[CoverageRow]
    by_region: list[CoverageRow]
    gaps: list[GapUnit] = field(default_factory=list)


def _group_names(units: UnitScope) -> dict[int, str]:
    """Each unit's group: its nearest ancestor of the group kind, else its topmost ancestor. One
    query for the unit tree (ids, parents, kinds, names), however deep and wide."""
    tree = {
        pk: (parent, kind, name)
        for pk, parent, kind, name in Unit.objects.values_list("pk", "parent_id", "kind", "name")
    }
    names: dict[int, str] = {}
    for pk in tree:
        seen: set[int] = set()
        current = tree[pk][0]
        group = None
        top = None
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent, kind, name = tree[current]
            top = name
            if kind == Unit.Kind.GROUP:
                group = name
                break
            current = parent
        names[pk] = group or top or ""
    return names


def coverage_report(user) -> CoverageReport:
    units = union_scope(user)
    required = list(
        _scoped_units(units)
        .filter(has_union_committee=True, headcount__gte=COVERAGE_HEADCOUNT)
        .exclude(kind=Unit.Kind.GROUP)
        .annotate(active=Count("studios", filter=Q(studios__status=Studio.Status.ACTIVE)))
        .values("pk", "name", "region", "headcount", "active")
        .order_by("name")
    )
    groups = _group_names(units)
    no_group, no_region = _("No group"), _("No region")
    total = CoverageRow(label=_("All units in scope"))
    by_group: dict[str, CoverageRow] = {}
    by_region: dict[str, CoverageRow] = {}
    gaps = []
    for unit in required:
        group = groups.get(unit["pk"]) or no_group
        region = unit["region"] or no_region
        rows = (
            total,
            by_group.setdefault(group, CoverageRow(label=group)),
            by_region.setdefault(region, CoverageRow(label=region)),
        )
        for row in rows:
            row.required += 1
            row.covered += 1 if unit["active"] else 0
        if not unit["active"]:
            gaps.append(
                GapUnit(
                    pk=unit["pk"], name=unit["name"], group=group, region=region, headcount=unit["headcount"]
                )
            )
    return CoverageReport(
        total=total,
        by_group=sorted(by_group.values(), key=lambda row: (-row.missing, row.label)),
        by_region=sorted(by_region.values(), key=lambda row: (-row.missing, row.label)),
        gaps=gaps,
    )


# Dashboard ----------------------------------------------------------------------------------

YEARS_SHOWN = 6


@dataclass
class Series:
    label: str
    values: list[int]


@dataclass
class Dashboard:
    years: list[int]
    # Studios standing at the end of each year (named by then, not yet delisted), by level and type.
    by_level: list[Series]
    by_type: list[Series]
    active_studios: int
    delisted_studios: int
    figures: dict[str, list[ScopeFigureValue]]
    group_labels: dict[str, str]
    coverage: CoverageReport

    def figure(self, key: str) -> ScopeFigureValue | None:
        for values in self.figures.values():
            for value in values:
                if value.key == key:
                    return value
        return None


def _year_named(founded_on: datetime.date | None, created_at: datetime.datetime) -> int:
    return founded_on.year if founded_on else timezone.localtime(created_at).year


def studios_over_time(
    units: UnitScope, *, this_year: int
) -> tuple[list[int], list[Series], list[Series], int, int]:
    """Studios standing at the end of each of the last years, by level and by type: one query."""
    years = list(range(this_year - YEARS_SHOWN + 1, this_year + 1))
    rows = Studio.objects.filter(Q() if units is None else Q(unit__in=units)).values_list(
        "level", "type", "founded_on", "created_at", "status", "delisted_at"
    )
    level_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(years))
    type_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(years))
    active = delisted = 0
    for level, kind, founded_on, created_at, status, delisted_at in rows:
        named = _year_named(founded_on, created_at)
        gone = (
            timezone.localtime(delisted_at).year if status == Studio.Status.DELISTED and delisted_at else None
        )
        if status == Studio.Status.ACTIVE:
            active += 1
        else:
            delisted += 1
        for index, year in enumerate(years):
            if named <= year and (gone is None or gone > year):
                level_counts[level][index] += 1
                type_counts[kind][index] += 1
    by_level = [Series(str(label), level_counts[value]) for value, label in Studio.Level.choices]
    by_type = [Series(str(label), type_counts[value]) for value, label in Studio.Type.choices]
    return years, by_level, by_type, active, delisted


def dashboard(user) -> Dashboard:
    units = union_scope(user)
    years, by_level, by_type, active, delisted = studios_over_time(units, this_year=timezone.localdate().year)
    return Dashboard(
        years=years,
        by_level=by_level,
        by_type=by_type,
        active_studios=active,
        delisted_studios=delisted,
        figures=scope_figures(units),
        group_labels={group: str(label) for group, label in GROUP_LABELS.items()},
        coverage=coverage_report(user),
    )


def units_in_scope(user):
    """The units a union admin may name a studio in or move one to, for a form's choice."""
    units = union_scope(user)
    return _scoped_units(units).exclude(kind=Unit.Kind.GROUP).order_by("name")


# Exports: every figure as a table (first row the header), for platform_core/spreadsheets.py ------


def coverage_tables(report: CoverageReport) -> dict[str, tuple[str, list[list]]]:
    def rows(label: str, items: list[CoverageRow]) -> list[list]:
        header = [
            label,
            _("Units required to have a studio"),
            _("With an active studio"),
            _("Missing"),
            _("Coverage (%)"),
        ]
        return [header] + [[row.label, row.required, row.covered, row.missing, row.percent] for row in items]

    return {
        "coverage_groups": (_("Coverage by group"), rows(_("Group"), [*report.by_group, report.total])),
        "coverage_regions": (_("Coverage by region"), rows(_("Region"), [*report.by_region, report.total])),
        "coverage_gaps": (
            _("Units without a studio"),
            [[_("Unit"), _("Group"), _("Region"), _("Staff")]]
            + [[gap.name, gap.group, gap.region, gap.headcount] for gap in report.gaps],
        ),
    }


def dashboard_tables(board: Dashboard) -> dict[str, tuple[str, list[list]]]:
    def over_time(series: list[Series], label: str) -> list[list]:
        return [[label, *board.years]] + [[item.label, *item.values] for item in series]

    tables = {
        "studios_by_level": (_("Studios by level, year by year"), over_time(board.by_level, _("Level"))),
        "studios_by_type": (_("Studios by type, year by year"), over_time(board.by_type, _("Type"))),
    }
    for group, values in board.figures.items():
        tables[group] = (
            board.group_labels[group],
            [[_("Figure"), _("Value")]] + [[value.label, value.value] for value in values],
        )
    return tables


def export_tables(user) -> dict[str, tuple[str, list[list]]]:
    """Every figure of the union's pages, for the exports."""
    board = dashboard(user)
    return {**dashboard_tables(board), **coverage_tables(board.coverage)}
