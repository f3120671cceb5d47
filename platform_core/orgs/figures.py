"""What the domains know of each studio, reaching the core through one registry.

platform_core/orgs knows no domain app, yet the studio page, the five-standard self-assessment and
the union's dashboard show challenges won, achievements and their benefit, transfers, members
trained. Each domain app registers its figures here in its AppConfig.ready() (as apps register
live topic kinds), and the core reads them without importing the app:

    register_studio_figure(StudioFigure(
        key="challenges_won", label=_("Challenges won"), standard=Standard.BREAKTHROUGH,
        compute=lambda studio_ids: {...},   # one query for all the studios asked about
    ))

`compute` answers for many studios at once (a list page or a dashboard asks for hundreds), and
leaves out studios with nothing to count; `studio_domain_figures` fills those with zero.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from .standards import Standard

FigureValue = int | Decimal


@dataclass(frozen=True)
class StudioFigure:
    key: str
    label: str | Promise
    compute: Callable[[Collection[int]], Mapping[int, FigureValue]]
    # The standard this figure is evidence for in a self-assessment; None for context only.
    standard: Standard | None = None
    # "count" of things, or an "amount" of money in yuan (shown and summed as such).
    unit: str = "count"
    order: int = 100


_figures: dict[str, StudioFigure] = {}


def register_studio_figure(figure: StudioFigure) -> StudioFigure:
    if figure.key in _figures:
        raise ImproperlyConfigured(f"studio figure {figure.key!r} is already registered")
    if figure.unit not in ("count", "amount"):
        raise ImproperlyConfigured(f"studio figure {figure.key!r}: unit must be 'count' or 'amount'")
    _figures[figure.key] = figure
    return figure


def unregister_studio_figure(key: str) -> None:
    """Forget a figure (tests register figures for one test)."""
    _figures.pop(key, None)


def registered_studio_figures() -> list[StudioFigure]:
    return sorted(_figures.values(), key=lambda figure: (figure.order, figure.key))


def studio_domain_figures(studio_ids: Collection[int]) -> dict[int, dict[str, FigureValue]]:
    """Every registered figure for each studio asked about: {studio_id: {key: value}}, zero where
    the app counted nothing. One `compute` call per figure, whatever the number of studios."""
    ids = list(dict.fromkeys(studio_ids))
    result: dict[int, dict[str, FigureValue]] = {pk: {} for pk in ids}
    for figure in registered_studio_figures():
        values = figure.compute(ids) if ids else {}
        zero: FigureValue = Decimal(0) if figure.unit == "amount" else 0
        for pk in ids:
            result[pk][figure.key] = values.get(pk, zero)
    return result
