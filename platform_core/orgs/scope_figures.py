"""What the domains know of a union admin's scope, reaching the core through one registry.

The union's dashboard shows, for the units an admin manages, the closed loop from problems
collected to transfers, the awards, the measured benefit and the activity of alliances and teams.
Those figures live in the domain apps, which the core does not import: each app registers them
here in its AppConfig.ready(), as it registers its per-studio figures (`figures.py`):

    register_scope_figure(ScopeFigure(
        key="challenges_published", label=_("Published"), group=FUNNEL, order=30,
        compute=lambda units: Challenge.objects.filter(in_scope("unit", units), ...).count(),
    ))

`compute(units)` answers in one query (or a fixed few) for the whole scope: `units` is a subquery
of unit ids (an admin's groups and regions at any depth), or None for the whole platform. Its
cost never grows with the number of units or studios asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .figures import FigureValue

# A subquery (or list) of unit ids, or None for every unit of the platform.
UnitScope = Any

# The groups the dashboard draws, each as one chart.
FUNNEL = "funnel"
AWARDS = "awards"
BENEFIT = "benefit"
TRANSFERS = "transfers"
ACTIVITY = "activity"

GROUP_LABELS: dict[str, str | Promise] = {
    FUNNEL: _("The closed loop, from problem to transfer"),
    AWARDS: _("Awards and appraisals"),
    BENEFIT: _("Measured benefit"),
    TRANSFERS: _("Transfers"),
    ACTIVITY: _("Alliances and teams"),
}


@dataclass(frozen=True)
class ScopeFigure:
    key: str
    label: str | Promise
    group: str
    compute: Callable[[UnitScope], FigureValue]
    # "count" of things, or an "amount" of money in yuan.
    unit: str = "count"
    order: int = 100


_figures: dict[str, ScopeFigure] = {}


def register_scope_figure(figure: ScopeFigure) -> ScopeFigure:
    if figure.key in _figures:
        raise ImproperlyConfigured(f"scope figure {figure.key!r} is already registered")
    if figure.unit not in ("count", "amount"):
        raise ImproperlyConfigured(f"scope figure {figure.key!r}: unit must be 'count' or 'amount'")
    if figure.group not in GROUP_LABELS:
        raise ImproperlyConfigured(f"scope figure {figure.key!r}: unknown group {figure.group!r}")
    _figures[figure.key] = figure
    return figure


def unregister_scope_figure(key: str) -> None:
    """Forget a figure (tests register figures for one test)."""
    _figures.pop(key, None)


def registered_scope_figures() -> list[ScopeFigure]:
    return sorted(_figures.values(), key=lambda figure: (figure.group, figure.order, figure.key))


def in_scope(path: str, units: UnitScope) -> Q:
    """The filter an app's `compute` applies: `path` (a unit foreign key) within the scope."""
    return Q() if units is None else Q(**{f"{path}__in": units})


@dataclass(frozen=True)
class ScopeFigureValue:
    key: str
    label: str
    group: str
    unit: str
    value: FigureValue


def scope_figures(units: UnitScope) -> dict[str, list[ScopeFigureValue]]:
    """Every registered figure for the scope, by group in the groups' order: one `compute` call
    per figure, whatever the number of units in the scope."""
    result: dict[str, list[ScopeFigureValue]] = {group: [] for group in GROUP_LABELS}
    for figure in registered_scope_figures():
        value = figure.compute(units)
        if value is None:
            value = Decimal(0) if figure.unit == "amount" else 0
        result[figure.group].append(
            ScopeFigureValue(
                key=figure.key, label=str(figure.label), group=figure.group, unit=figure.unit, value=value
            )
        )
    return result
