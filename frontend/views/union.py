"""The union's pages over its scope: coverage (目标方向) and the exports of every figure of the
coverage page and the dashboard (the dashboard itself is a union admin's home page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.orgs import union
from platform_core.spreadsheets import csv_response, xlsx_response

from ..charts import bar_chart, funnel_chart, stacked_columns

app_name = "union"

FORMATS = ("xlsx", "csv")


def coverage_context(report: union.CoverageReport) -> dict:
    return {
        "coverage": report,
        "group_chart": bar_chart([(row.label, row.covered) for row in report.by_group]),
        "region_chart": bar_chart([(row.label, row.covered) for row in report.by_region]),
    }


@login_required
def coverage(request):
    report = union.coverage_report(request.user)
    return render(request, "frontend/union/coverage.html", coverage_context(report))


def dashboard_context(board: union.Dashboard) -> dict:
    years = [str(year) for year in board.years]
    funnel = board.figures["funnel"]
    return {
        "board": board,
        "level_chart": stacked_columns(years, [(s.label, s.values) for s in board.by_level]),
        "type_chart": stacked_columns(years, [(s.label, s.values) for s in board.by_type]),
        "funnel_chart": funnel_chart([(value.label, int(value.value)) for value in funnel]),
        "award_chart": bar_chart([(value.label, int(value.value)) for value in board.figures["awards"]]),
        "activity_chart": bar_chart([(value.label, int(value.value)) for value in board.figures["activity"]]),
        "money": board.figures["benefit"] + board.figures["transfers"],
        "funnel_summary": "；".join(f"{value.label} {value.value}" for value in funnel),
        "level_summary": _("Studios standing at the end of each year from %(first)s to %(last)s, by level.")
        % {"first": years[0], "last": years[-1]},
        "type_summary": _("Studios standing at the end of each year from %(first)s to %(last)s, by type.")
        % {"first": years[0], "last": years[-1]},
        **coverage_context(board.coverage),
    }


@login_required
def export(request, table: str, fmt: str):
    """One figure of the union's pages as .xlsx or CSV, through the one spreadsheet module."""
    if fmt not in FORMATS:
        raise Http404
    tables = union.export_tables(request.user)
    if table not in tables:
        raise Http404
    title, rows = tables[table]
    filename = f"{title}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, rows)
    return xlsx_response(filename, [(title, rows)])


urlpatterns = [
    path("coverage/", coverage, name="coverage"),
    path("union/export/<slug:table>.<slug:fmt>", export, name="export"),
]
