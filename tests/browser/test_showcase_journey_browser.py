"""The showcase journey's fixed steps in a real Chromium at phone width: an unspaced phrase finds
its pieces (the exact phrase first) with the results above the facets; a refused achievement form
and a refused listing form come back with what was typed and the error beside its field; a note
on an inquiry without a chosen status does not decline it; the ranking keeps its total column."""

from __future__ import annotations

import pytest

from showcase.models import Inquiry
from showcase.services import transfer
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect
from tests.servers import daphne
from tests.showcase.conftest import make_achievement

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium  # the fixture, shared with the platform's browser tests

PHONE = {"width": 375, "height": 800}


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_the_showcase_journey_keeps_what_was_typed(tcast, chromium):
    # Made before the browser starts: Playwright's loop would stop the on-commit publishing.
    exact = make_achievement(tcast, title="配网变电站巡检机器人", summary="全天候", fields=["故障定位"])
    make_achievement(tcast, title="变电站设备红外测温法", summary="定期巡检发现过热")
    make_achievement(tcast, title="电缆接头制作工艺", summary="工艺", type="master_skill")
    listing = transfer.listing_save(
        actor=tcast.leader1, achievement=exact, maturity=6, modes=["licence"], contact_name="王工"
    )
    inquiry = transfer.inquiry_send(actor=tcast.poster, listing=listing, mode="licence", message="想了解授权")
    from tests.showcase.test_one_rule import advance_round, scored_round

    round = scored_round(tcast, exact)
    advance_round(tcast, round, "published")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        context = chromium.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
        page = context.new_page()

        # 1. An unspaced phrase: both achievements holding 变电站 and 巡检, the exact one first;
        #    at phone width the first result is above the facets and within the first screen.
        page.goto(f"{base}/showcase/")
        page.locator("#showcase-q").fill("变电站巡检")
        page.locator("#showcase-q").press("Enter")
        results = page.locator(".achievement-card h2 a")
        expect(results).to_have_count(2)
        expect(results.first).to_contain_text("配网变电站巡检机器人")
        first_top = results.first.bounding_box()["y"]
        facets_top = page.locator("#facets").bounding_box()["y"]
        assert first_top < facets_top and first_top < PHONE["height"], (first_top, facets_top)
        expect(page.locator(".facets-jump")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SCREENSHOTS / "showcase-phrase-phone.png"))

        # 2. The achievement form, refused by the service (shares of 50%): the typed text stays.
        log_in(page, base, "leader1")
        page.goto(f"{base}/showcase/new/")
        page.locator("#id_title").fill("钢轨探伤小车")
        page.locator("#id_summary").fill("轻便小车")
        page.locator("#id_contributors").fill("王建国 50")
        page.locator("form.card button[type=submit]").click()
        expect(page.locator("#id_title")).to_have_value("钢轨探伤小车")
        expect(page.locator("#id_summary")).to_have_value("轻便小车")
        expect(page.locator(".field.has-error #id_contributors")).to_have_count(1)
        expect(page.locator(".field.has-error .error")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "showcase-form-error-phone.png"), full_page=True)

        # 3. The listing form without a transfer mode: in place, the error beside the modes.
        listing_url = f"{base}/showcase/{exact.pk}/listing/"
        page.goto(listing_url)
        page.locator("input[name=modes][value=licence]").uncheck()
        page.locator("#id_industries").fill("电力、轨道交通")
        page.locator("form.card button[type=submit]").click()
        expect(page.locator("#id_industries")).to_have_value("电力、轨道交通")
        expect(page.locator(".field.has-error input[name=modes]")).to_have_count(4)
        assert page.url == listing_url
        page.screenshot(path=str(SCREENSHOTS / "showcase-listing-error-phone.png"), full_page=True)

        # 4. A note without a chosen status does not decline: the control starts on no choice
        #    and the browser asks for one; choosing is explicit.
        page.goto(f"{base}/showcase/inquiries/{inquiry.pk}/")
        expect(page.locator("#id_status")).to_have_value("")
        page.locator("#id_note").fill("请补充报价")
        page.locator("form.inquiry-status-form button[type=submit]").click()
        assert page.locator("#id_status").evaluate("select => !select.validity.valid")
        expect(page.locator("[data-inquiry-status]")).to_have_class("tag status-new")
        assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW
        page.locator("#id_status").select_option("discussing")
        page.locator("form.inquiry-status-form button[type=submit]").click()
        expect(page.locator("[data-inquiry-status]")).to_have_class("tag status-discussing")
        expect(page.locator("[data-inquiry-note]")).to_have_text("请补充报价")
        assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.DISCUSSING

        # 5. The published ranking at phone width keeps its weighted total (总分) column.
        page.goto(f"{base}/showcase/rounds/{round.pk}/")
        expect(page.locator("td[data-total]")).to_have_text("74.00")
        expect(page.locator("td[data-total]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SCREENSHOTS / "showcase-ranking-phone.png"))
        context.close()
