"""Who may do what to units and studios. The one place these rules live; services call it."""

from __future__ import annotations

from django.db.models import Q

from .models import Studio, StudioMembership, Unit


def _ancestors(unit: Unit) -> list[Unit]:
    chain: list[Unit] = []
    current: Unit | None = unit
    while current is not None and current not in chain:
        chain.append(current)
        current = current.parent
    return chain


def admin_scope_filter(user, unit_path: str = "unit") -> Q:
    """The units a union admin manages, as a query filter on `unit_path` (for lists: one query).

    Mirrors `admin_covers_unit`: the unit itself, its parent or grandparent is a granted group, or
    one of them lies in a granted region. Superusers manage everything: callers skip the filter.
    """
    grants = list(user.admin_grants.values_list("group_id", "region"))
    group_ids = [group for group, _region in grants if group]
    regions = [region for _group, region in grants if region]
    scope = Q(pk__in=[])
    for hop in ("", "__parent", "__parent__parent"):
        if group_ids:
            scope |= Q(**{f"{unit_path}{hop}__in": group_ids})
        if regions:
            scope |= Q(**{f"{unit_path}{hop}__region__in": regions})
    return scope


def is_union_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.admin_grants.exists()


def admin_covers_unit(user, unit: Unit) -> bool:
    """A union admin manages the units under their groups and in their regions."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    chain = _ancestors(unit)
    group_ids = [u.pk for u in chain]
    regions = {u.region for u in chain if u.region}
    grants = user.admin_grants.all()
    return any(g.group_id in group_ids or (g.region and g.region in regions) for g in grants)


def is_studio_member(user, studio: Studio) -> bool:
    if not user.is_authenticated:
        return False
    return studio.leader_id == user.pk or StudioMembership.objects.filter(studio=studio, user=user).exists()


def can_view_studio(user, studio: Studio) -> bool:
    # The studio directory is for registered users; visitors browse challenges and the showcase.
    if not user.is_authenticated:
        return False
    return studio.is_active or is_studio_member(user, studio) or admin_covers_unit(user, studio.unit)


def can_edit_studio(user, studio: Studio) -> bool:
    return user.is_authenticated and (studio.leader_id == user.pk or admin_covers_unit(user, studio.unit))


def can_manage_members(user, studio: Studio) -> bool:
    return studio.is_active and can_edit_studio(user, studio)


def can_delist_studio(user, studio: Studio) -> bool:
    return admin_covers_unit(user, studio.unit)


def can_follow_studio_live(user, studio: Studio) -> bool:
    """The studio:<id> topic carries member changes and studio news: members and its admins."""
    return is_studio_member(user, studio) or admin_covers_unit(user, studio.unit)
