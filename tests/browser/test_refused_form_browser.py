"""A refused form in a real Chromium: an expert's marks of one entry, one of them not a number,
come back in that entry's row with the typed marks and the comment, the error right under its
field (not above the form or in another row), on a desktop and on a phone."""

from __future__ import annotations

import datetime

import pytest

from platform_core.accounts.models import ExpertProfile
from showcase.services import rounds
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect, log_in
from tests.events import make_user
from tests.servers import daphne
from tests.showcase.conftest import make_achievement

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium  # the fixture, shared with the platform's browser tests


@pytest.fixture
def round_to_score(tcast):
    """Made before the browser starts (Playwright's loop would stop the on-commit publishing)."""
    expert = make_user("expert_c", unit=tcast.unit_c)  # from no entry's unit: recused from none
    ExpertProfile.objects.create(user=expert, committee=ExpertProfile.Committee.TECHNICAL)
    today = datetime.date.today()
    round = rounds.round_open(
        actor=tcast.admin,
        kind="selection",
        title="年度评选",
        starts_on=today,
        ends_on=today,
        criteria=[("创新性", 60), ("效益", 40)],
        experts=[expert],
    )
    for title in ("成果一", "成果二"):
        achievement = make_achievement(tcast, title=title)
        rounds.round_entry_add(actor=tcast.admin, round=round, achievement=achievement)
    return round, list(round.criteria.order_by("pk"))


@pytest.mark.parametrize("width", [1280, 390])
def test_refused_marks_come_back_beside_their_fields(round_to_score, chromium, width):
    round, (innovation, benefit) = round_to_score
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        log_in(page, base, "expert_c")
        page.goto(f"{base}/showcase/rounds/{round.pk}/")
        row = page.locator(".score-entry").nth(1)
        row.locator(f"[name='score-{innovation.pk}']").fill("87.5")
        # The number input takes no letters: the browser check is bypassed as a stale page would.
        row.locator(f"[name='score-{benefit.pk}']").evaluate("input => { input.type = 'text'; }")
        row.locator(f"[name='score-{benefit.pk}']").fill("很好")
        row.locator("[name='comment']").fill("留住的评语")
        row.locator("form").evaluate("form => { form.noValidate = true; }")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()

        row = page.locator(".score-entry").nth(1)
        expect(row.locator(f"[name='score-{innovation.pk}']")).to_have_value("87.5")
        expect(row.locator("[name='comment']")).to_have_value("留住的评语")
        field = row.locator(".field.has-error")
        expect(field).to_have_count(1)
        mark = field.locator(f"[name='score-{benefit.pk}']")
        # Sent back as typed (a number input cannot display letters, so it shows empty).
        expect(mark).to_have_attribute("value", "很好")
        expect(mark).to_have_attribute("aria-invalid", "true")
        error = field.locator(".error")
        expect(error).to_be_visible()
        # Right under its own input, starting where the input starts.
        mark_box, error_box = mark.bounding_box(), error.bounding_box()
        assert 0 <= error_box["y"] - (mark_box["y"] + mark_box["height"]) < 24
        assert abs(error_box["x"] - mark_box["x"]) < 4
        expect(page.locator(".score-entry").nth(0).locator(".has-error, .error")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        row.screenshot(path=str(SCREENSHOTS / f"round-score-refused-{width}.png"))
        page.screenshot(path=str(SCREENSHOTS / f"round-score-refused-page-{width}.png"), full_page=True)
        context.close()
