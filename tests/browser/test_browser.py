"""The pages in a real headless Chromium (the system's, driven by Playwright) against real daphne."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.servers import daphne

pytestmark = [pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def chromium():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but Chromium is not at {CHROMIUM}")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM work is done before it starts.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    # Playwright's own assertions poll from an isolated world: the page's strict CSP (no eval)
    # does not stop them, unlike wait_for_function. 15 s rather than the default 5 s: on two
    # shared cores (daphne, Chromium, the test) a live update can be slow without being wrong.
    playwright_expect.set_options(timeout=15_000)
    return playwright_expect(locator)


def api(base: str, method: str, path: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-for-tests")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_bell_and_studio_page_update_live_without_reload(tcast, chromium):
    token = Token.objects.create(user=tcast.leader1).key
    studio_id, outsider_id = tcast.studio1.pk, tcast.outsider.pk
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page = context.new_page()
        csp_violations: list[str] = []
        page.on(
            "console", lambda msg: "Content Security Policy" in msg.text and csp_violations.append(msg.text)
        )
        log_in(page, base, "outsider")
        page.wait_for_selector("[data-live-status][data-state='live']")
        badge = page.locator("[data-unread-count]").first
        assert badge.text_content() == "0"
        assert not badge.is_visible()

        # leader1 adds the outsider to studio1 through the API: the bell counts it without a reload.
        assert (
            api(base, "POST", f"/api/v1/studios/{studio_id}/members/", token, {"user_id": outsider_id}) == 201
        )
        expect(badge).to_have_text("1")
        assert badge.is_visible()
        assert "一号工作室" in page.locator(".toast").first.text_content()
        page.screenshot(path=str(SCREENSHOTS / "home-live-notification.png"), full_page=True)

        # Now a member, the outsider follows the studio live: an edit by the leader appears at once.
        page.goto(f"{base}/studios/{studio_id}/")
        page.wait_for_selector("[data-live-status][data-state='live']")
        assert (
            api(
                base,
                "PATCH",
                f"/api/v1/studios/{studio_id}/",
                token,
                {"description": "新的简介：攻关焊接变形"},
            )
            == 200
        )
        expect(page.locator("[data-studio-description]")).to_contain_text("攻关焊接变形")
        assert page.locator("[data-studio-activity] li").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "studio-live.png"), full_page=True)

        # The notification list marks an item read in place (htmx) and the bell follows.
        page.goto(f"{base}/notifications/")
        page.get_by_role("button", name="标为已读").first.click()
        expect(page.locator("[data-unread-count]").first).to_have_text("0")
        assert csp_violations == []
        context.close()


def test_pages_fit_a_phone_and_start_with_a_skip_link(tcast, chromium):
    with daphne() as base:
        context = chromium.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = context.new_page()
        log_in(page, base, "leader1")
        for path in ["/", "/studios/", f"/studios/{tcast.studio1.pk}/", "/notifications/", "/profile/"]:
            page.goto(f"{base}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        page.goto(f"{base}/studios/{tcast.studio1.pk}/")
        page.screenshot(path=str(SCREENSHOTS / "studio-phone.png"), full_page=True)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        context.close()


def test_the_page_reconnects_after_a_server_restart_and_misses_nothing(tcast, chromium):
    from platform_core.notifications.services import notification_create, verbatim
    from tests.servers import free_port

    port = free_port()
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    with daphne(port) as base:
        log_in(page, base, "member")
        page.wait_for_selector("[data-live-status][data-state='live']")
        badge = page.locator("[data-unread-count]").first
        expect(badge).to_have_text("0")
    # The server is down: the page notices and retries with backoff.
    page.wait_for_selector("[data-live-status][data-state='reconnecting']")
    # Two notifications are stored while no server runs: nobody can push them live.
    for title in ("停机期间的通知一", "停机期间的通知二"):
        notification_create(recipient=tcast.member, kind="test", title=verbatim(title))
    with daphne(port):
        # The page reconnects on its own, resubscribes with the last seq it saw, and gets both.
        page.wait_for_selector("[data-live-status][data-state='live']", timeout=30000)
        expect(badge).to_have_text("2")
        assert page.locator(".toast").count() == 2
    context.close()


def test_a_live_notification_reads_in_the_language_of_the_page(tcast, chromium):
    # The event carries every language; an English page shows English, although the request that
    # caused it (the leader's API call) spoke Chinese.
    from django.conf import settings

    token = Token.objects.create(user=tcast.leader1).key
    studio_id, outsider_id = tcast.studio1.pk, tcast.outsider.pk
    with daphne() as base:
        context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page = context.new_page()
        log_in(page, base, "outsider")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
        page.goto(f"{base}/notifications/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.wait_for_selector("[data-live-status][data-state='live']")
        assert (
            api(base, "POST", f"/api/v1/studios/{studio_id}/members/", token, {"user_id": outsider_id}) == 201
        )
        item = page.locator("[data-notification-list] .notification-title").first
        expect(item).to_have_text("You joined the studio 一号工作室")
        expect(page.locator(".toast").first).to_contain_text("You joined the studio")
        expect(page.locator("[data-notification-list] .notification-body").first).to_contain_text(
            "added you as Member."
        )
        context.close()
