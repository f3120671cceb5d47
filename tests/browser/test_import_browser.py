"""In a real Chromium, a union admin imports 500 units and then 1,000 studios in them from
spreadsheets generated here: each file is checked with its progress shown, previewed, confirmed,
imported in the server's worker thread, and the units and studios are then listed. Screenshots of
the pages (desktop and a 375 px phone) go to var/screenshots."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from platform_core.orgs.models import ImportJob, Studio, Unit
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.browser.test_challenges_browser import logged_in
from tests.orgs.imports_helpers import sheet
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

PORT = 19610


def zh(text: str) -> str:
    """A text as the page shows it in Chinese (the catalogue's, or the English msgid until it has one)."""
    with translation.override("zh-hans"):
        return gettext(text)


def zh_count(singular: str, plural: str, count: int) -> str:
    with translation.override("zh-hans"):
        return ngettext(singular, plural, count) % {"counter": count}


def units_file() -> bytes:
    rows = [
        {"name": f"导入单位{n:03d}", "parent": "集团G", "headcount": 300 + n, "has_union_committee": "是"}
        for n in range(500)
    ]
    return sheet("units", *rows)


def studios_file() -> bytes:
    rows = [
        {
            "name": f"导入工作室{n:04d}",
            "unit": f"导入单位{n % 500:03d}",
            "type": "技能技术型",
            "level": "基层",
            "leader": "leader1",
            "members": "member",
            "founded_on": "2024-05-01",
        }
        for n in range(1000)
    ]
    return sheet("studios", *rows)


def import_through_the_page(page, base: str, kind: str, content: bytes, count: int, shot: str) -> None:
    page.goto(f"{base}/imports/{kind}/")
    page.get_by_label(re.compile(re.escape(zh("Spreadsheet file")))).set_input_files(
        {"name": f"{kind}.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_role("button", name=zh("Upload and check")).click()
    page.wait_for_url(re.compile(r"/imports/jobs/\d+/$"))
    # The check runs in the server's worker; the page polls until the preview and the button come.
    confirm = page.get_by_role(
        "button", name=zh_count("Import %(counter)s row", "Import %(counter)s rows", count)
    )
    expect(confirm).to_be_visible(timeout=60_000)
    expect(page.locator(".import-preview tbody tr").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"import-{shot}-preview.png"), full_page=False)
    confirm.click()
    # The import runs after the confirmation commits: the progress bar shows until it is done.
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    assert 0 <= int(bar.get_attribute("aria-valuenow")) < 100
    page.screenshot(path=str(SCREENSHOTS / f"import-{shot}-progress.png"))
    done = zh_count("%(counter)s row imported.", "%(counter)s rows imported.", count)
    expect(page.get_by_text(done)).to_be_visible(timeout=120_000)
    expect(bar).to_have_count(0)


def test_an_admin_imports_500_units_and_1000_studios(tcast, chromium):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne(PORT) as base:
        page = logged_in(chromium, base, "admin")
        page.goto(f"{base}/imports/")
        expect(page.get_by_role("heading", level=1)).to_have_text(zh("Import from Excel"))
        page.screenshot(path=str(SCREENSHOTS / "import-index.png"), full_page=True)

        import_through_the_page(page, base, "units", units_file(), 500, "units")
        assert Unit.objects.filter(name__startswith="导入单位", parent=tcast.group_g).count() == 500
        import_through_the_page(page, base, "studios", studios_file(), 1000, "studios")
        assert Studio.objects.filter(name__startswith="导入工作室").count() == 1000
        page.screenshot(path=str(SCREENSHOTS / "import-studios-done.png"), full_page=False)

        # Listed: the group's page has the new units, the directory the new studios.
        page.goto(f"{base}/units/{tcast.group_g.pk}/")
        expect(page.get_by_role("link", name="导入单位042")).to_be_visible()
        page.goto(f"{base}/studios/?q=导入工作室0999")
        expect(page.get_by_role("link", name="导入工作室0999")).to_be_visible()
        assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 2

        # The same file again: every row is now on the platform; nothing is imported, each row named.
        page.goto(f"{base}/imports/studios/")
        page.get_by_label(re.compile(re.escape(zh("Spreadsheet file")))).set_input_files(
            {"name": "studios.xlsx", "mimeType": "application/octet-stream", "buffer": studios_file()[:]}
        )
        page.get_by_role("button", name=zh("Upload and check")).click()
        first_error = page.locator(".import-errors tbody tr").first
        expect(first_error).to_contain_text("导入工作室0000", timeout=60_000)
        expect(first_error.locator("td").nth(1)).to_have_text("工作室名称")
        expect(
            page.get_by_role("button", name=re.compile(zh("Import %(counter)s row").split("%")[0]))
        ).to_have_count(0)
        page.screenshot(path=str(SCREENSHOTS / "import-refused.png"), full_page=False)
        assert Studio.objects.filter(name__startswith="导入工作室").count() == 1000

        phone = logged_in(chromium, base, "admin", width=375)
        phone.goto(f"{base}/imports/studios/")
        phone.screenshot(path=str(SCREENSHOTS / "import-upload-phone-375.png"), full_page=True)
        job = ImportJob.objects.get(kind="studios", status=ImportJob.Status.DONE)
        phone.goto(f"{base}/imports/jobs/{job.pk}/")
        phone.screenshot(path=str(SCREENSHOTS / "import-job-phone-375.png"), full_page=False)
        # Nothing on the phone page is wider than the screen.
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width
