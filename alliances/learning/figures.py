"""Members trained and their hours, per studio (创新人才辈出): registered with the core's studio
figures (platform_core/orgs/figures.py), which the studio page and its five-standard assessment
read; and the courses completed in a union admin's scope (scope_figures.py). A member counts for
every studio they are in now (leaders are members of their studios), with every course they
completed, whoever published it."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from platform_core.orgs.figures import StudioFigure, register_studio_figure
from platform_core.orgs.scope_figures import ACTIVITY, ScopeFigure, in_scope, register_scope_figure
from platform_core.orgs.standards import Standard

from .models import Enrolment


def _completions(studio_ids: Collection[int]):
    return (
        Enrolment.objects.filter(
            completed_at__isnull=False, user__studio_memberships__studio_id__in=studio_ids
        )
        .order_by()
        .values("user__studio_memberships__studio_id")
    )


def members_trained(studio_ids: Collection[int]) -> dict[int, int]:
    rows = _completions(studio_ids).annotate(n=Count("user_id", distinct=True))
    return {row["user__studio_memberships__studio_id"]: row["n"] for row in rows}


def training_hours(studio_ids: Collection[int]) -> dict[int, int]:
    rows = _completions(studio_ids).annotate(n=Sum("hours"))
    return {row["user__studio_memberships__studio_id"]: row["n"] or 0 for row in rows}


def register() -> None:
    register_studio_figure(
        StudioFigure(
            key="members_trained",
            label=_("Members who completed a course"),
            standard=Standard.TALENT,
            compute=members_trained,
            order=33,
        )
    )
    register_studio_figure(
        StudioFigure(
            key="training_hours",
            label=_("Course hours completed by members"),
            standard=Standard.TALENT,
            compute=training_hours,
            order=34,
        )
    )
    register_scope()


def completed_in_scope(units) -> int:
    return Enrolment.objects.filter(in_scope("user__unit", units), completed_at__isnull=False).count()


def register_scope() -> None:
    register_scope_figure(
        ScopeFigure(
            key="courses_completed",
            label=_("Courses completed by people of the scope"),
            group=ACTIVITY,
            order=60,
            compute=completed_in_scope,
        )
    )
