"""What alliances, teams and mentor pairs tell the core of studios and of a union admin's scope
(创新人才辈出): the registries of platform_core/orgs (figures.py, scope_figures.py, sections.py),
filled once at start-up. Members trained come with the courses."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_core.orgs import permissions as org_permissions
from platform_core.orgs.figures import StudioFigure, register_studio_figure
from platform_core.orgs.models import Studio
from platform_core.orgs.scope_figures import ACTIVITY, ScopeFigure, in_scope, register_scope_figure
from platform_core.orgs.sections import StudioSection, register_studio_section
from platform_core.orgs.standards import Standard

from . import permissions
from .models import Alliance, AllianceMembership, MentorPair, Message, Team

ACTIVE_MEMBER = AllianceMembership.Status.ACTIVE
OPEN_TEAMS = (Team.Status.FORMING, Team.Status.ACTIVE)
# Chat in the rooms of the scope's teams and alliances over this many days counts as activity.
ACTIVITY_DAYS = 30


def _counted(queryset, key: str, count: str = "pk") -> dict[int, int]:
    rows = queryset.order_by().values(key).annotate(n=Count(count, distinct=True))
    return {row[key]: row["n"] for row in rows}


def teams(studio_ids: Collection[int]) -> dict[int, int]:
    through = Team.source_studios.through.objects.filter(studio_id__in=studio_ids)
    return _counted(through, "studio_id", "team_id")


def alliances(studio_ids: Collection[int]) -> dict[int, int]:
    memberships = AllianceMembership.objects.filter(studio_id__in=studio_ids, status=ACTIVE_MEMBER)
    return _counted(memberships, "studio_id", "alliance_id")


def mentor_pairs(studio_ids: Collection[int]) -> dict[int, int]:
    return _counted(MentorPair.objects.filter(studio_id__in=studio_ids), "studio_id")


def studio_section(viewer, studio) -> dict | None:
    """Its alliances (public), the teams it is a source of that the viewer may see, and its
    mentor pairs for who may read them (`permissions.can_view_mentor_pair`, asked for the studio)."""
    memberships = list(
        AllianceMembership.objects.filter(studio=studio, status=ACTIVE_MEMBER)
        .select_related("alliance")
        .order_by("alliance__name")
    )
    team_list = list(
        Team.objects.filter(permissions.teams_visible_filter(viewer), source_studios=studio)
        .distinct()
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")[:20]
    )
    pairs = MentorPair.objects.filter(studio=studio).select_related("mentor", "apprentice")
    reads_all = org_permissions.is_studio_member(viewer, studio) or org_permissions.admin_covers_unit(
        viewer, studio.unit
    )
    if not reads_all:
        pairs = (
            pairs.filter(Q(mentor=viewer) | Q(apprentice=viewer)) if viewer.is_authenticated else pairs.none()
        )
    pair_list = list(pairs.order_by("-started_on")[:30])
    if not (memberships or team_list or pair_list):
        return None
    return {"alliance_memberships": memberships, "teams": team_list, "mentor_pairs": pair_list}


def register() -> None:
    for figure in (
        StudioFigure(
            key="teams", label=_("Cross-unit teams"), standard=Standard.TALENT, compute=teams, order=30
        ),
        StudioFigure(
            key="alliances", label=_("Alliances"), standard=Standard.TALENT, compute=alliances, order=31
        ),
        StudioFigure(
            key="mentor_pairs",
            label=_("Mentor-apprentice pairs"),
            standard=Standard.TALENT,
            compute=mentor_pairs,
            order=32,
        ),
    ):
        register_studio_figure(figure)

    def studios(units):
        return Studio.objects.filter(in_scope("unit", units)).values("pk")

    def scope_teams(units):
        if units is None:
            return Team.objects.all()
        return Team.objects.filter(Q(source_studios__in=studios(units)) | Q(lead__unit__in=units))

    def scope_alliances(units):
        active = AllianceMembership.objects.filter(studio__in=studios(units), status=ACTIVE_MEMBER)
        return Alliance.objects.filter(pk__in=active.values("alliance_id"))

    def recent_messages(units) -> int:
        since = timezone.now() - datetime.timedelta(days=ACTIVITY_DAYS)
        rooms = Q(room__team__in=scope_teams(units).values("pk")) | Q(
            room__alliance__in=scope_alliances(units).values("pk")
        )
        return Message.objects.filter(rooms, created_at__gte=since, deleted_at__isnull=True).count()

    for scope_figure in (
        ScopeFigure(
            key="alliances_active",
            label=_("Alliances with studios of the scope"),
            group=ACTIVITY,
            order=10,
            compute=lambda units: scope_alliances(units).count(),
        ),
        ScopeFigure(
            key="alliance_memberships",
            label=_("Studios in alliances"),
            group=ACTIVITY,
            order=20,
            compute=lambda units: (
                AllianceMembership.objects.filter(studio__in=studios(units), status=ACTIVE_MEMBER)
                .values("studio_id")
                .distinct()
                .count()
            ),
        ),
        ScopeFigure(
            key="teams_open",
            label=_("Cross-unit teams at work"),
            group=ACTIVITY,
            order=30,
            compute=lambda units: scope_teams(units).filter(status__in=OPEN_TEAMS).distinct().count(),
        ),
        ScopeFigure(
            key="mentor_pairs_ongoing",
            label=_("Mentor-apprentice pairs under way"),
            group=ACTIVITY,
            order=40,
            compute=lambda units: MentorPair.objects.filter(
                studio__in=studios(units), ended_on__isnull=True
            ).count(),
        ),
        ScopeFigure(
            key="messages_recent",
            label=_("Messages in team and alliance rooms, last 30 days"),
            group=ACTIVITY,
            order=50,
            compute=recent_messages,
        ),
    ):
        register_scope_figure(scope_figure)

    register_studio_section(
        StudioSection(
            key="alliances",
            title=_("Alliances, teams and mentor pairs"),
            template="alliances/studio_section.html",
            context=studio_section,
            order=50,
        )
    )
