"""The showcase in a real Chromium: an anonymous visitor finds an achievement by a Chinese
keyword, logs in as an enterprise user and sends an inquiry; the owner takes it up and the
inquirer's page shows the new status live; then the two negotiate in the inquiry's private room,
each seeing the other's message arrive without reloading."""

from __future__ import annotations

import pytest

from showcase.services import transfer
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect
from tests.browser.test_team_chat import LOG, send
from tests.servers import daphne
from tests.showcase.conftest import make_achievement

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium  # the fixture, shared with the platform's browser tests


@pytest.fixture
def listed(tcast):
    """Made before the browser starts: Playwright's loop would stop the on-commit publishing."""
    achievement = make_achievement(tcast)
    transfer.listing_save(
        actor=tcast.leader1,
        achievement=achievement,
        maturity=7,
        modes=["licence", "joint"],
        contact_name="王建国",
    )
    make_achievement(
        tcast, title="班组安全积分管理", summary="积分量化安全行为", description="班组管理", type="management"
    )
    return achievement


def log_in_from(page, username: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").last.click()


def test_a_visitor_finds_an_achievement_and_an_enterprise_user_inquires(tcast, chromium):
    achievement = make_achievement(tcast)
    transfer.listing_save(
        actor=tcast.leader1,
        achievement=achievement,
        maturity=7,
        modes=["licence", "joint"],
        contact_name="王建国",
    )
    make_achievement(  # its own field tag: tags are searched, and the default one holds 带电
        tcast,
        title="班组安全积分管理",
        summary="积分量化安全行为",
        description="班组管理",
        type="management",
        fields=["安全管理"],
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        visitor = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
        page = visitor.new_page()
        page.goto(f"{base}/showcase/")
        # 带电 is two characters from the middle of the title 高压线路带电作业机器人.
        page.locator("#showcase-q").fill("带电")
        page.locator("#showcase-q").press("Enter")
        result = page.locator(".achievement-card h2 a")
        expect(result).to_have_count(1)
        expect(result.locator("mark")).to_have_text("带电")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SCREENSHOTS / "showcase-search-phone.png"), full_page=True)
        result.click()
        page.locator("#transfer a.button").click()
        log_in_from(page, "poster")
        page.wait_for_url(f"**/showcase/{achievement.pk}/**")
        page.locator("#id_mode").select_option("joint")
        page.locator("#id_message").fill("我单位希望联合开发，请联系。")
        page.locator("form.inquiry-form button[type=submit]").click()
        page.wait_for_url("**/showcase/inquiries/*/")
        status = page.locator("[data-inquiry-status]")
        expect(status).to_have_class("tag status-new")
        page.wait_for_selector("[data-live-status][data-state='live']")
        inquiry_url = page.url

        owner = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        owner_page = owner.new_page()
        owner_page.goto(inquiry_url)
        log_in_from(owner_page, "leader1")
        owner_page.wait_for_url(inquiry_url)
        owner_page.locator("#id_status").select_option("discussing")
        owner_page.locator("#id_note").fill("欢迎交流")
        owner_page.locator("form[action$='/status/'] button[type=submit]").click()

        # The inquirer's open page follows the inquiry:<id> topic: the new status arrives live.
        expect(status).to_have_class("tag status-discussing")
        expect(page.locator("[data-inquiry-note]")).to_have_text("欢迎交流")
        page.screenshot(path=str(SCREENSHOTS / "showcase-inquiry-live-phone.png"), full_page=True)

        # The negotiation thread: both pages are subscribed to the room once each sees the other.
        expect(owner_page.locator("[data-chat-presence]")).to_contain_text("POSTER")
        expect(page.locator("[data-chat-presence]")).to_contain_text("LEADER1")
        send(owner_page, "可以联合开发，下周面谈？")
        expect(page.locator(LOG)).to_have_count(1)
        expect(page.locator(LOG).first).to_contain_text("可以联合开发，下周面谈？")
        send(page, "好的，周三上午可以。")
        expect(owner_page.locator(LOG)).to_have_count(2)
        expect(owner_page.locator(LOG).last).to_contain_text("好的，周三上午可以。")
        page.screenshot(path=str(SCREENSHOTS / "showcase-negotiation-phone.png"), full_page=True)
        owner.close()
        visitor.close()
