"""The union-admin scope (orgs/permissions.py) at any depth: the directory lists what an admin may
edit and delist, and nothing else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.accounts.models import AdminGrant
from platform_core.orgs import permissions, selectors, services
from platform_core.orgs.models import Studio, Unit
from tests.cast import ROLES, name_studio
from tests.events import make_user

DEPTH = 6


@pytest.fixture
def deep_studio(cast):
    """A studio six levels below group G (G → A → level 3 … level 6), delisted: only the admins
    over it list it."""
    parent = cast.unit_a
    for level in range(3, DEPTH + 1):
        parent = Unit.objects.create(name=f"第{level}层", parent=parent, region="北京" if level == 4 else "")
    studio = name_studio(
        cast.superadmin, name="深层工作室", unit=parent, type=Studio.Type.SKILL, leader=cast.outsider
    )
    return services.studio_delist(actor=cast.superadmin, studio=studio, reason="复评未通过")


def directory_names(user) -> set[str]:
    return {studio.name for studio in selectors.studio_directory(user)}


def test_the_admin_of_the_top_group_lists_edits_and_delists_a_studio_at_any_depth(cast, deep_studio):
    assert "深层工作室" in directory_names(cast.admin)
    assert permissions.can_edit_studio(cast.admin, deep_studio)
    assert permissions.can_delist_studio(cast.admin, deep_studio)
    services.studio_reinstate(actor=cast.admin, studio=deep_studio)


def test_a_region_grant_on_a_middle_level_covers_everything_below_it(cast, deep_studio):
    regional = make_user("regional")
    AdminGrant.objects.create(user=regional, region="北京")
    assert "深层工作室" in directory_names(regional)
    assert permissions.can_delist_studio(regional, deep_studio)


def test_an_admin_of_another_group_neither_lists_nor_edits_it(cast, deep_studio):
    other = make_user("other-admin")
    AdminGrant.objects.create(user=other, group=cast.group_h)
    assert "深层工作室" not in directory_names(other)
    assert not permissions.can_edit_studio(other, deep_studio)
    assert not permissions.can_delist_studio(other, deep_studio)


@pytest.mark.parametrize("role", ROLES)
def test_the_directory_and_the_edit_rule_agree_for_every_role(cast, deep_studio, role):
    user = cast.everyone()[role]
    listed = "深层工作室" in directory_names(user)
    may_edit = permissions.can_edit_studio(user, deep_studio)
    # The leader (outsider) sees their delisted studio on its page, not in the directory.
    assert listed == (may_edit and role != "outsider")


def test_the_group_page_lists_the_studios_of_every_unit_below_it(cast, deep_studio):
    studios = selectors.unit_page(cast.superadmin, cast.group_g.pk).studios
    assert "深层工作室" in {studio.name for studio in studios}


def test_the_directory_takes_the_same_queries_whatever_the_depth(cast, deep_studio):
    with CaptureQueriesContext(connection) as queries:
        list(selectors.studio_directory(cast.admin))
    # One for the admin check (is_union_admin), one for the list with the scope as a subquery.
    assert len(queries) == 2
