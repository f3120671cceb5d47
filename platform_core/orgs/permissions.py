"""Who may do what to units and studios. The one place these rules live; services call it."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from platform_core.accounts.models import AdminGrant
from platform_core.request_memo import memoized

from .models import Studio, StudioMembership, Unit


def _subtree(seed_sql: str, params: list) -> RawSQL:
    """The ids of the units `seed_sql` selects and of every unit below them, at any depth.

    A recursive query rather than a fixed number of parent hops: unit trees (group, enterprise,
    branch, workshop, team …) have no fixed depth. UNION (not UNION ALL) drops units already
    reached, so a corrupt parent cycle ends instead of looping. Used as a subquery, so a list
    filtered by it is still one query.
    """
    unit = connection.ops.quote_name(Unit._meta.db_table)
    sql = (
        f"WITH RECURSIVE subtree(id) AS (SELECT id FROM {unit} WHERE {seed_sql}"  # noqa: S608  table names only
        f" UNION SELECT child.id FROM {unit} child JOIN subtree ON child.parent_id = subtree.id)"
        " SELECT id FROM subtree"
    )
    return RawSQL(sql, params)  # noqa: S611  values travel as parameters; only table names are formatted in


def unit_subtree(unit_id: int) -> RawSQL:
    """A unit and every unit below it (a group's page lists the studios of all of them)."""
    return _subtree("id = %s", [unit_id])


def _admin_scope(user) -> RawSQL:
    # The granted groups and every unit in a granted region, with everything below them.
    # A national grant (the national union) covers every unit.
    grant = connection.ops.quote_name(AdminGrant._meta.db_table)
    return _subtree(
        f"id IN (SELECT group_id FROM {grant} WHERE user_id = %s)"  # noqa: S608  table name only
        f" OR region IN (SELECT region FROM {grant} WHERE user_id = %s AND region <> '')"
        f" OR EXISTS (SELECT 1 FROM {grant} WHERE user_id = %s AND level = %s)",
        [user.pk, user.pk, user.pk, AdminGrant.Level.NATIONAL],
    )


def admin_scope_filter(user, unit_path: str = "unit") -> Q:
    """The units a union admin manages, as a filter on `unit_path`: a unit under one of their
    groups or in one of their regions, at any depth below it. The one definition of that scope:
    `admin_covers_unit` asks the same query about one unit. Superusers manage everything: callers
    skip the filter."""
    return Q(**{f"{unit_path}__in": _admin_scope(user)})


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
    return memoized(
        ("admin_covers_unit", user.pk, unit.pk),
        lambda: Unit.objects.filter(admin_scope_filter(user, "pk"), pk=unit.pk).exists(),
    )


def my_studios(user):
    """The studios `user` leads or belongs to, as a subquery of ids (one query for a whole list)."""
    if not user.is_authenticated:
        return Studio.objects.none().values("pk")
    return Studio.objects.filter(Q(leader=user) | Q(memberships__user=user)).values("pk")


def is_studio_member(user, studio: Studio) -> bool:
    if not user.is_authenticated:
        return False
    return studio.leader_id == user.pk or StudioMembership.objects.filter(studio=studio, user=user).exists()


def can_view_studio(user, studio: Studio) -> bool:
    # The studio directory is for registered users; visitors browse challenges and the showcase.
    if not user.is_authenticated:
        return False
    return studio.is_active or is_studio_member(user, studio) or admin_covers_unit(user, studio.unit)


def can_create_studio(user, unit: Unit) -> bool:
    """Naming a studio (授牌) is an act of the union admins over its unit."""
    return admin_covers_unit(user, unit)


def can_administer_studio(user, studio: Studio) -> bool:
    """Renaming a studio, changing its leader, unit, type or level: the union admins over its unit
    (moving it to another unit needs them over that unit too: `can_create_studio`)."""
    return admin_covers_unit(user, studio.unit)


def can_edit_studio(user, studio: Studio) -> bool:
    return user.is_authenticated and (studio.leader_id == user.pk or admin_covers_unit(user, studio.unit))


def can_manage_members(user, studio: Studio) -> bool:
    return studio.is_active and can_edit_studio(user, studio)


def can_delist_studio(user, studio: Studio) -> bool:
    return admin_covers_unit(user, studio.unit)


def can_follow_studio_live(user, studio: Studio) -> bool:
    """The studio:<id> topic carries member changes and studio news: members and its admins."""
    return is_studio_member(user, studio) or admin_covers_unit(user, studio.unit)


def can_import(user) -> bool:
    """Who may import units, studios and people from a spreadsheet (each row is then checked
    against the importer's own scope)."""
    return is_union_admin(user)
