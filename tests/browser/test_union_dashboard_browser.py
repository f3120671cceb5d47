"""The union admin in a real Chromium: the home page is the dashboard of their scope with its SVG
charts, the coverage page lists the unit missing a studio, and an export downloads as a workbook
that opens with openpyxl. Desktop and phone widths, no horizontal scrolling."""

from __future__ import annotations

import openpyxl
import pytest

from platform_core.orgs.models import Unit
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect, log_in
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium


def test_an_admin_sees_coverage_and_the_dashboard_and_downloads_an_export(tcast, chromium):
    # Group G gets a unit that needs a studio and has none.
    Unit.objects.create(
        name="单位E", parent=tcast.group_g, headcount=800, has_union_committee=True, region="天津"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        for label, viewport in (
            ("desktop", {"width": 1280, "height": 900}),
            ("phone", {"width": 390, "height": 844}),
        ):
            context = chromium.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            log_in(page, base, "admin")
            charts = page.locator("figure.chart-svg svg[role=img]")
            expect(charts).to_have_count(3)
            expect(page.locator("#chart-funnel-title")).to_have_count(1)
            # 2 studios stand this year in group G: the last column's total.
            expect(page.locator("[data-active-studios]")).to_have_text("2")
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            page.screenshot(path=str(SCREENSHOTS / f"union-dashboard-{label}.png"), full_page=True)

            page.locator(".page-head a[href='/coverage/']").click()
            page.wait_for_url(f"{base}/coverage/")
            expect(page.locator("[data-coverage-gaps] tbody tr")).to_have_count(1)
            expect(page.locator("[data-coverage-gaps] tbody th")).to_have_text("单位E")
            expect(page.locator("[data-coverage-missing]")).to_have_text("1")
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            page.screenshot(path=str(SCREENSHOTS / f"union-coverage-{label}.png"), full_page=True)
            if label == "desktop":
                with page.expect_download() as download_info:
                    page.locator("a[href='/union/export/coverage_gaps.xlsx']").click()
                download = download_info.value
                assert download.suggested_filename.endswith(".xlsx")
                # A file object: openpyxl judges a path by its extension, and the download has none.
                with open(download.path(), "rb") as workbook:
                    rows = list(openpyxl.load_workbook(workbook).active.iter_rows(values_only=True))
                assert [row[0] for row in rows[1:]] == ["单位E"]
            context.close()
