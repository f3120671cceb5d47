"""Seed item 6: every unit with its own union committee and 300+ staff has at least one studio."""

from __future__ import annotations

from platform_core.orgs.models import Studio, Unit
from platform_core.orgs.selectors import coverage


def test_units_with_a_committee_and_300_staff_need_a_studio(cast):
    result = coverage()
    # A (studio1) and B (studio2) are covered; C has 350 staff and no studio; groups are not counted.
    assert (result.required, result.covered) == (3, 2)
    assert [unit.name for unit in result.gaps] == ["单位C"]


def test_groups_small_units_and_units_without_a_committee_are_not_required(cast):
    Unit.objects.create(name="小单位", parent=cast.group_g, headcount=299, has_union_committee=True)
    Unit.objects.create(name="未建会单位", parent=cast.group_g, headcount=5000, has_union_committee=False)
    cast.group_g.has_union_committee = True
    cast.group_g.headcount = 100000
    cast.group_g.save()
    assert not cast.group_g.coverage_required
    assert coverage().required == 3


def test_a_delisted_studio_no_longer_covers_its_unit(cast):
    Studio.objects.filter(pk=cast.studio2.pk).update(
        status=Studio.Status.DELISTED, delisted_reason="复评未通过"
    )
    assert {unit.name for unit in coverage().gaps} == {"单位B", "单位C"}


def test_a_group_page_lists_the_studios_of_its_member_units(client, cast):
    client.force_login(cast.member)
    studios = list(client.get(f"/units/{cast.group_g.pk}/").context["studios"])
    assert {studio.name for studio in studios} == {"一号工作室", "二号工作室"}
