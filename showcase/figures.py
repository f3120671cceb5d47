"""What the showcase tells the core of studios and of a union admin's scope (创建成果丰硕): the
registries of platform_core/orgs (figures.py, scope_figures.py, sections.py), filled once at start-up."""

from __future__ import annotations

import functools
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from platform_core.orgs.figures import StudioFigure, register_studio_figure
from platform_core.orgs.scope_figures import (
    AWARDS,
    BENEFIT,
    FUNNEL,
    TRANSFERS,
    ScopeFigure,
    in_scope,
    register_scope_figure,
)
from platform_core.orgs.sections import StudioSection, register_studio_section
from platform_core.orgs.standards import Standard

from .models import Achievement, Award, Patent, TransferCase

PUBLISHED = Achievement.State.PUBLISHED


def _grouped(queryset, key: str, aggregate) -> dict:
    rows = queryset.order_by().values(key).annotate(value=aggregate)
    return {row[key]: row["value"] for row in rows if row["value"] is not None}


def _published(studio_ids: Collection[int]):
    return Achievement.objects.filter(studio_id__in=studio_ids, state=PUBLISHED)


def achievements(studio_ids: Collection[int]) -> dict[int, int]:
    return _grouped(_published(studio_ids), "studio_id", Count("pk"))


def benefit(studio_ids: Collection[int]) -> dict[int, Decimal]:
    return _grouped(_published(studio_ids), "studio_id", Sum("economic_benefit"))


def patents(studio_ids: Collection[int]) -> dict[int, int]:
    rows = Patent.objects.filter(achievement__studio_id__in=studio_ids, achievement__state=PUBLISHED)
    return _grouped(rows, "achievement__studio_id", Count("pk"))


def awarded(studio_ids: Collection[int]) -> dict[int, int]:
    return _grouped(_published(studio_ids).exclude(award=""), "studio_id", Count("pk"))


def _cases(studio_ids: Collection[int]):
    return TransferCase.objects.filter(inquiry__listing__achievement__studio_id__in=studio_ids)


def transfers(studio_ids: Collection[int]) -> dict[int, int]:
    return _grouped(_cases(studio_ids), "inquiry__listing__achievement__studio_id", Count("pk"))


def transfer_value(studio_ids: Collection[int]) -> dict[int, Decimal]:
    return _grouped(_cases(studio_ids), "inquiry__listing__achievement__studio_id", Sum("value"))


def studio_section(viewer, studio) -> dict | None:
    """The studio's published achievements (public in the showcase), with benefit, award and
    transfers."""
    items = list(
        Achievement.objects.filter(studio=studio, state=PUBLISHED)
        .annotate(patent_count=Count("patents", distinct=True))
        .order_by("-published_at", "-pk")[:20]
    )
    if not items:
        return None
    cases = list(
        TransferCase.objects.filter(inquiry__listing__achievement__in=[item.pk for item in items])
        .select_related("inquiry__listing__achievement")
        .order_by("-concluded_on")
    )
    return {"achievements": items, "transfer_cases": cases}


def _award_count(published, award: str, units) -> int:
    return published(units).filter(award=award).count()


def register() -> None:
    for figure in (
        StudioFigure(
            key="achievements",
            label=_("Achievements in the showcase"),
            standard=Standard.ACHIEVEMENTS,
            compute=achievements,
            order=20,
        ),
        StudioFigure(
            key="benefit",
            label=_("Measured benefit (yuan)"),
            standard=Standard.ACHIEVEMENTS,
            compute=benefit,
            unit="amount",
            order=21,
        ),
        StudioFigure(
            key="patents", label=_("Patents"), standard=Standard.ACHIEVEMENTS, compute=patents, order=22
        ),
        StudioFigure(
            key="awards",
            label=_("Awards and appraisals"),
            standard=Standard.ACHIEVEMENTS,
            compute=awarded,
            order=23,
        ),
        StudioFigure(
            key="transfers", label=_("Transfers"), standard=Standard.ACHIEVEMENTS, compute=transfers, order=24
        ),
        StudioFigure(
            key="transfer_value",
            label=_("Transfer value (yuan)"),
            standard=Standard.ACHIEVEMENTS,
            compute=transfer_value,
            unit="amount",
            order=25,
        ),
    ):
        register_studio_figure(figure)

    def published(units):
        return Achievement.objects.filter(in_scope("unit", units), state=PUBLISHED)

    def cases(units):
        return TransferCase.objects.filter(in_scope("inquiry__listing__achievement__unit", units))

    def from_challenges(units):
        # The loop's last steps follow the challenges of the scope, whoever owns the achievement.
        return Achievement.objects.filter(
            in_scope("source_outcome__challenge__unit", units),
            state=PUBLISHED,
            source_outcome__isnull=False,
        )

    figures: list[ScopeFigure] = [
        ScopeFigure(
            key="loop_in_showcase",
            label=_("In the showcase"),
            group=FUNNEL,
            order=60,
            compute=lambda units: from_challenges(units).count(),
        ),
        ScopeFigure(
            key="loop_transferred",
            label=_("Transferred"),
            group=FUNNEL,
            order=70,
            compute=lambda units: (
                from_challenges(units).filter(listing__inquiries__case__isnull=False).distinct().count()
            ),
        ),
        ScopeFigure(
            key="benefit_total",
            label=_("Total measured benefit (yuan)"),
            group=BENEFIT,
            unit="amount",
            order=10,
            compute=lambda units: published(units).aggregate(total=Sum("economic_benefit"))["total"],
        ),
        ScopeFigure(
            key="achievements_published",
            label=_("Achievements published"),
            group=BENEFIT,
            order=20,
            compute=lambda units: published(units).count(),
        ),
        ScopeFigure(
            key="transfer_cases",
            label=_("Transfers concluded"),
            group=TRANSFERS,
            order=10,
            compute=lambda units: cases(units).count(),
        ),
        ScopeFigure(
            key="transfer_value",
            label=_("Transfer value (yuan)"),
            group=TRANSFERS,
            unit="amount",
            order=20,
            compute=lambda units: cases(units).aggregate(total=Sum("value"))["total"],
        ),
    ]
    for position, award in enumerate(Award):
        figures.append(
            ScopeFigure(
                key=f"award_{award.value}",
                label=award.label,
                group=AWARDS,
                order=10 + position,
                compute=functools.partial(_award_count, published, award.value),
            )
        )
    for scope_figure in figures:
        register_scope_figure(scope_figure)

    register_studio_section(
        StudioSection(
            key="showcase",
            title=_("Achievements, awards and transfers"),
            template="showcase/studio_section.html",
            context=studio_section,
            order=40,
        )
    )
