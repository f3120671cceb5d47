"""The union's view of its scope: coverage by group and region with the units missing a studio,
the dashboard's figures from the domains' registries, their exports, and what they cost."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from platform_core.accounts.models import AdminGrant
from platform_core.orgs import union
from platform_core.orgs.figures import studio_domain_figures
from platform_core.orgs.models import Studio, Unit
from platform_core.orgs.scope_figures import (
    ACTIVITY,
    ScopeFigure,
    register_scope_figure,
    scope_figures,
    unregister_scope_figure,
)
from platform_core.spreadsheets import formula_like
from tests.cast import ROLES, UNION_ADMINS
from tests.events import make_user

pytestmark = pytest.mark.django_db


def unit(
    name: str,
    parent: Unit | None,
    *,
    staff: int = 500,
    committee: bool = True,
    region: str = "北京",
    kind="enterprise",
):
    return Unit.objects.create(
        name=name, parent=parent, headcount=staff, has_union_committee=committee, region=region, kind=kind
    )


def studio(name: str, where: Unit, leader, **fields) -> Studio:
    return Studio.objects.create(name=name, unit=where, type=Studio.Type.SKILL, leader=leader, **fields)


@pytest.fixture
def crafted(cast):
    """Beyond the cast (group G: A and B covered; group H: C not): a branch below A, two levels
    deep, that needs a studio and has a delisted one; a small unit and one without a committee
    (not required); a unit in 广州 with no group at all, covered."""
    branch = unit("A分公司", cast.unit_a, region="天津")
    workshop = unit("A分公司车间", branch, staff=320, region="天津")
    studio("车间工作室", workshop, cast.member, status=Studio.Status.DELISTED, delisted_reason="复评未通过")
    unit("小单位", cast.group_g, staff=299)
    unit("未建会单位", cast.group_h, committee=False, region="上海")
    lone = unit("独立单位", None, region="广州")
    studio("独立工作室", lone, cast.outsider)
    return {"branch": branch, "workshop": workshop, "lone": lone}


def by_label(rows) -> dict[str, tuple[int, int]]:
    return {row.label: (row.required, row.covered) for row in rows}


def test_coverage_over_the_whole_platform(cast, crafted):
    report = union.coverage_report(cast.superadmin)
    assert (report.total.required, report.total.covered, report.total.missing) == (6, 3, 3)
    # A unit in no group is counted as such.
    assert by_label(report.by_group) == {"集团G": (4, 2), "集团H": (1, 0), gettext("No group"): (1, 1)}
    assert by_label(report.by_region) == {"北京": (2, 2), "天津": (2, 0), "上海": (1, 0), "广州": (1, 1)}
    assert [gap.name for gap in report.gaps] == ["A分公司", "A分公司车间", "单位C"]
    assert report.gaps[1].group == "集团G" and report.gaps[1].headcount == 320
    # The units with the most missing come first.
    assert report.by_group[0].label == "集团G" and report.by_group[0].percent == 50.0


def test_coverage_is_scoped_to_the_admins_groups_and_regions(cast, crafted):
    report = union.coverage_report(cast.admin)  # group G at any depth
    assert (report.total.required, report.total.covered) == (4, 2)
    assert {gap.name for gap in report.gaps} == {"A分公司", "A分公司车间"}
    assert union.coverage_report(cast.admin2).total.required == 1  # group H: unit C
    regional = make_user("regional")
    AdminGrant.objects.create(user=regional, region="天津")
    report = union.coverage_report(regional)
    assert by_label(report.by_region) == {"天津": (2, 0)}


def test_an_active_studio_closes_a_gap(cast, crafted):
    studio("分公司工作室", crafted["branch"], cast.leader1)
    assert {gap.name for gap in union.coverage_report(cast.admin).gaps} == {"A分公司车间"}


@pytest.mark.parametrize("role", ROLES)
def test_only_union_admins_see_coverage_on_the_page_and_the_api(client, cast, role):
    user = cast.everyone()[role]
    client.force_login(user)
    page = client.get(reverse("union:coverage"))
    api = client.get("/api/v1/coverage/")
    expected = 200 if role in UNION_ADMINS else 403
    assert (page.status_code, api.status_code) == (expected, expected)
    if expected == 200:
        assert api.json()["total"]["required"] == page.context["coverage"].total.required


def test_the_coverage_api_lists_the_gaps(client, cast, crafted):
    client.force_login(cast.admin)
    body = client.get("/api/v1/coverage/").json()
    assert body["total"] == {
        "label": body["total"]["label"],
        "required": 4,
        "covered": 2,
        "missing": 2,
        "percent": 50.0,
    }
    assert [gap["name"] for gap in body["gaps"]] == ["A分公司", "A分公司车间"]
    assert {row["label"] for row in body["by_region"]} == {"北京", "天津"}


def test_coverage_costs_the_same_queries_for_ten_or_a_hundred_units(cast, django_assert_max_num_queries):
    def grow(count: int, prefix: str):
        parent = unit(f"{prefix}集团", None, kind=Unit.Kind.GROUP)
        for index in range(count):
            child = unit(f"{prefix}{index}", parent)
            if index % 2:
                studio(f"{prefix}工作室{index}", child, cast.leader1)

    grow(10, "甲")
    with django_assert_max_num_queries(6) as few:
        union.coverage_report(cast.superadmin)
    grow(100, "乙")
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = union.coverage_report(cast.superadmin)
    assert report.total.required == 113


# --- the dashboard ------------------------------------------------------------------------------


def test_the_funnel_follows_a_challenge_from_problem_to_acceptance(cast):
    from challenges.models import Challenge
    from tests.challenges.conftest import make_world

    world = make_world(cast)
    world.in_state(Challenge.State.ACCEPTED)
    world.draft()
    funnel = {value.key: value.value for value in union.dashboard(cast.admin).figures["funnel"]}
    assert funnel["topics"] == 2 and funnel["topics_published"] == 1
    assert funnel["topics_awarded"] == 1 and funnel["topics_accepted"] == 1
    # admin2 oversees group H: none of it.
    other = {value.key: value.value for value in union.dashboard(cast.admin2).figures["funnel"]}
    assert other["topics"] == 0
    # The winner's figures reach the studio through the registry.
    figures = studio_domain_figures([cast.studio1.pk, cast.studio2.pk])
    assert figures[cast.studio2.pk]["challenges_won"] == 1 and figures[cast.studio1.pk]["challenges_won"] == 0
    assert figures[cast.studio1.pk]["challenges_bid_on"] == 1


def test_a_registered_scope_figure_is_computed_once_for_the_scope(cast):
    seen = []

    def compute(units):
        seen.append(sorted(Unit.objects.filter(pk__in=units).values_list("name", flat=True)))
        return 7

    register_scope_figure(ScopeFigure(key="test_seven", label="seven", group=ACTIVITY, compute=compute))
    try:
        values = scope_figures(union.union_scope(cast.admin2))
    finally:
        unregister_scope_figure("test_seven")
    assert seen == [["单位C", "集团H"]]
    assert [value.value for value in values[ACTIVITY] if value.key == "test_seven"] == [7]


def test_studios_over_time_count_what_stood_at_each_years_end(cast):
    this_year = datetime.date.today().year
    old = studio(
        "老工作室", cast.unit_b, cast.leader2, founded_on=datetime.date(this_year - 3, 5, 1), level="national"
    )
    old.status, old.delisted_reason = Studio.Status.DELISTED, "摘牌"
    old.delisted_at = datetime.datetime(this_year - 1, 6, 1, tzinfo=datetime.UTC)
    old.save()
    years, by_level, _by_type, active, delisted = union.studios_over_time(None, this_year=this_year)
    national = next(series for series in by_level if series.label == str(Studio.Level.NATIONAL.label))
    assert national.values[-4:] == [1, 1, 0, 0] and years[-1] == this_year
    assert (active, delisted) == (2, 1)


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_is_the_dashboard_for_union_admins(client, cast, role):
    if role == "anonymous":
        return
    client.force_login(cast.everyone()[role])
    response = client.get("/")
    templates = {template.name for template in response.templates}
    assert ("frontend/home/dashboard.html" in templates) == (role in UNION_ADMINS)


def test_the_dashboard_draws_accessible_svg_charts(client, cast):
    client.force_login(cast.admin)
    html = client.get("/").content.decode()
    assert html.count('role="img"') >= 3
    for chart in ("chart-level", "chart-type", "chart-funnel"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
    assert html.count("<table") >= 5  # each chart has its table


def test_the_dashboard_costs_the_same_queries_for_few_or_many_studios(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.admin)

    def grow(count: int, prefix: str):
        for index in range(count):
            where = unit(f"{prefix}{index}", cast.group_g)
            studio(f"{prefix}工作室{index}", where, cast.leader1)

    grow(3, "丙")
    with django_assert_max_num_queries(80) as few:
        assert client.get("/").status_code == 200
    grow(60, "丁")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert response.context["board"].active_studios == 65


def test_the_dashboard_api_gives_the_figures_of_the_scope(client, cast):
    client.force_login(cast.outsider)
    assert client.get("/api/v1/dashboard/").status_code == 403
    client.force_login(cast.admin)
    body = client.get("/api/v1/dashboard/").json()
    assert body["active_studios"] == 2 and len(body["years"]) == union.YEARS_SHOWN
    assert [figure["key"] for figure in body["figures"]["funnel"]][:2] == ["problems_collected", "topics"]
    assert body["coverage"]["total"]["required"] == 2


def test_union_scope_refuses_who_is_no_admin(cast):
    with pytest.raises(PermissionDenied):
        union.union_scope(cast.leader1)


# --- exports ------------------------------------------------------------------------------------


def cells(workbook_bytes: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "table",
    [
        "coverage_groups",
        "coverage_regions",
        "coverage_gaps",
        "studios_by_level",
        "studios_by_type",
        "funnel",
        "awards",
        "benefit",
        "transfers",
        "activity",
    ],
)
def test_every_figure_exports_to_xlsx_and_csv(client, cast, table):
    client.force_login(cast.superadmin)  # the whole platform: unit C is a gap
    xlsx = client.get(reverse("union:export", args=[table, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = cells(xlsx.content)
    comma = client.get(reverse("union:export", args=[table, "csv"]))
    assert comma.status_code == 200 and comma["Content-Disposition"].startswith("attachment")
    parsed = list(csv.reader(io.StringIO(comma.content.decode("utf-8-sig"))))
    assert len(parsed) == len(rows) >= 2
    assert [str(value) for value in rows[0]] == parsed[0]


def test_exports_write_no_cell_a_spreadsheet_would_run(client, cast):
    unit('=HYPERLINK("http://evil","点我")', cast.group_g, region="@SUM(1+1)")
    client.force_login(cast.admin)
    rows = cells(client.get(reverse("union:export", args=["coverage_gaps", "xlsx"])).content)
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert '\'=HYPERLINK("http://evil","点我")' in texts and "'@SUM(1+1)" in texts
    assert not any(formula_like(text) for text in texts)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("union:export", args=["coverage_gaps", "xlsx"])).content)
    )
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)
    comma = client.get(reverse("union:export", args=["coverage_gaps", "csv"])).content.decode("utf-8-sig")
    assert all(not formula_like(value) for row in csv.reader(io.StringIO(comma)) for value in row)


def test_exports_follow_the_scope_and_refuse_others(client, cast, crafted):
    client.force_login(cast.admin2)
    rows = cells(client.get(reverse("union:export", args=["coverage_gaps", "xlsx"])).content)
    assert [row[0] for row in rows[1:]] == ["单位C"]
    assert client.get(reverse("union:export", args=["nothing", "xlsx"])).status_code == 404
    assert client.get(reverse("union:export", args=["funnel", "pdf"])).status_code == 404
    client.force_login(cast.leader1)
    assert client.get(reverse("union:export", args=["funnel", "xlsx"])).status_code == 403


def test_amounts_export_as_numbers(client, cast):
    register_scope_figure(
        ScopeFigure(
            key="test_money",
            label="money",
            group=ACTIVITY,
            unit="amount",
            compute=lambda units: Decimal("1234.5"),
        )
    )
    try:
        client.force_login(cast.admin)
        rows = cells(client.get(reverse("union:export", args=["activity", "xlsx"])).content)
    finally:
        unregister_scope_figure("test_money")
    assert ["money", 1234.5] in rows
