"""What challenges tell the core of studios and of a union admin's scope (攻坚克难突出): the
registries of platform_core/orgs (figures.py, scope_figures.py, sections.py), filled once at start-up."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from platform_core.orgs.figures import StudioFigure, register_studio_figure
from platform_core.orgs.scope_figures import FUNNEL, ScopeFigure, in_scope, register_scope_figure
from platform_core.orgs.sections import StudioSection, register_studio_section
from platform_core.orgs.standards import Standard

from . import permissions
from .models import Bid, Challenge, Milestone, Problem

State = Challenge.State
# A challenge whose work was given to a winner: it stays counted as awarded whatever came next.
AWARDED_STATES = (State.AWARDED, State.IN_PROGRESS, State.DELIVERED, State.ACCEPTED)


def _per_studio(queryset, studio_ids: Collection[int], count: str = "pk") -> dict[int, int]:
    rows = (
        queryset.filter(studio_id__in=studio_ids)
        .order_by()
        .values("studio_id")
        .annotate(n=Count(count, distinct=True))
    )
    return {row["studio_id"]: row["n"] for row in rows}


def challenges_bid_on(studio_ids: Collection[int]) -> dict[int, int]:
    bids = Bid.objects.exclude(status=Bid.Status.WITHDRAWN)
    return _per_studio(bids, studio_ids, "challenge_id")


def challenges_won(studio_ids: Collection[int]) -> dict[int, int]:
    # A racing winner ended at the mid-term review had still won the award.
    bids = Bid.objects.filter(status__in=(Bid.Status.WON, Bid.Status.ELIMINATED))
    return _per_studio(bids, studio_ids, "challenge_id")


def milestones_accepted(studio_ids: Collection[int]) -> dict[int, int]:
    rows = (
        Milestone.objects.filter(bid__studio_id__in=studio_ids, status=Milestone.Status.ACCEPTED)
        .order_by()
        .values("bid__studio_id")
        .annotate(n=Count("pk"))
    )
    return {row["bid__studio_id"]: row["n"] for row in rows}


def studio_section(viewer, studio) -> dict | None:
    """The challenges the studio won that the viewer may see, each with its accepted milestones."""
    won = list(
        Bid.objects.filter(studio=studio, status__in=(Bid.Status.WON, Bid.Status.ELIMINATED))
        .filter(challenge__in=Challenge.objects.filter(permissions.visible_challenges_filter(viewer)))
        .select_related("challenge__unit")
        .annotate(
            accepted=Count("milestones", filter=Q(milestones__status=Milestone.Status.ACCEPTED)),
            milestone_total=Count("milestones"),
        )
        .order_by("-challenge__published_at", "-pk")[:20]
    )
    if not won:
        return None
    return {"won_bids": won}


def register() -> None:
    for figure in (
        StudioFigure(
            key="challenges_bid_on",
            label=_("Challenges bid on"),
            standard=Standard.BREAKTHROUGH,
            compute=challenges_bid_on,
            order=10,
        ),
        StudioFigure(
            key="challenges_won",
            label=_("Challenges won"),
            standard=Standard.BREAKTHROUGH,
            compute=challenges_won,
            order=11,
        ),
        StudioFigure(
            key="milestones_accepted",
            label=_("Milestones accepted"),
            standard=Standard.BREAKTHROUGH,
            compute=milestones_accepted,
            order=12,
        ),
    ):
        register_studio_figure(figure)

    def challenges(units, **filters) -> int:
        return Challenge.objects.filter(in_scope("unit", units), **filters).count()

    for scope_figure in (
        ScopeFigure(
            key="problems_collected",
            label=_("Problems collected"),
            group=FUNNEL,
            order=10,
            compute=lambda units: Problem.objects.filter(in_scope("unit", units)).count(),
        ),
        ScopeFigure(key="topics", label=_("Topics drafted"), group=FUNNEL, order=20, compute=challenges),
        ScopeFigure(
            key="topics_published",
            label=_("Published"),
            group=FUNNEL,
            order=30,
            compute=lambda units: challenges(units, published_at__isnull=False),
        ),
        ScopeFigure(
            key="topics_awarded",
            label=_("Awarded"),
            group=FUNNEL,
            order=40,
            compute=lambda units: challenges(units, state__in=AWARDED_STATES),
        ),
        ScopeFigure(
            key="topics_accepted",
            label=_("Accepted"),
            group=FUNNEL,
            order=50,
            compute=lambda units: challenges(units, state=State.ACCEPTED),
        ),
    ):
        register_scope_figure(scope_figure)

    register_studio_section(
        StudioSection(
            key="challenges",
            title=_("Challenges won"),
            template="challenges/studio_section.html",
            context=studio_section,
            order=30,
        )
    )
