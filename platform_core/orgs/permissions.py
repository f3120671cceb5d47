"""Who may do what to units and studios. The one place these rules live; services call it."""

from __future__ import annotations

from .models import Studio, StudioMembership, Unit


def _ancestors(unit: Unit) -> list[Unit]:
    chain, seen = [], set()
    while unit is not None and unit.pk not in seen:
        chain.append(unit)
        seen.add(unit.pk)
        unit = unit.parent
    return chain


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
