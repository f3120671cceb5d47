"""The mail journeys in a real Chromium against real daphne and a real SMTP server (aiosmtpd), with
the keyboard alone: a forgotten password reset from the login page through the mailed link, and
the e-mail settings changed on a phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext

from platform_core.notifications import periodic
from platform_core.notifications.models import EmailSettings, MailState, Notification
from tests.browser import sweeps
from tests.browser.test_browser import SCREENSHOTS, expect
from tests.browser.test_keyboard_journeys import Keyboard, log_in
from tests.servers import daphne, free_port

pytestmark = [pytest.mark.browser]


def zh(text: str) -> str:
    """A text as the page shows it in Chinese (the catalogue's, or the English msgid until it has one)."""
    with translation.override("zh-hans"):
        return gettext(text)


def test_a_forgotten_password_is_reset_through_the_mailed_link_with_the_keyboard(
    tcast, smtp_server, settings
):
    tcast.member.email = "member@example.com"
    tcast.member.save(update_fields=["email"])
    Notification.objects.update(mail_state=MailState.DONE)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings.SITE_URL = base
    with sweeps.chromium(axe=False) as browser, daphne(port, SITE_URL=base) as served:
        assert served == base
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        keys = Keyboard(context.new_page())
        page = keys.page
        page.goto(f"{base}/login/")
        keys.tab_to(page.get_by_role("link", name=zh("Forgot your password?")))
        keys.press("Enter")
        page.wait_for_url(f"{base}/password/reset/")
        keys.fill(page.get_by_label(re.compile(zh("Email"), re.IGNORECASE)), "member@example.com")
        keys.press("Enter")
        page.wait_for_url(f"{base}/password/reset/sent/")
        expect(page.get_by_role("heading", name=zh("Check your e-mail"))).to_be_visible()

        periodic.run(timezone.now() + datetime.timedelta(seconds=1))  # the periodic job's pass
        [mail] = smtp_server.to("member@example.com")
        [link] = re.findall(re.escape(base) + r"/password/reset/[^/\s]+/[^/\s]+/", mail.text)
        page.goto(link)
        keys.fill(page.locator("[name=new_password1]"), "Mailed-link-2026!")
        keys.fill(page.locator("[name=new_password2]"), "Mailed-link-2026!")
        keys.press("Enter")
        page.wait_for_url(f"{base}/password/reset/complete/")
        page.screenshot(path=str(SCREENSHOTS / "password-reset-complete.png"))

        page.goto(f"{base}/login/")
        keys.fill(page.get_by_label("用户名"), "member")
        keys.fill(page.get_by_label("密码"), "Mailed-link-2026!")
        keys.press("Enter")
        page.wait_for_url(f"{base}/")
        context.close()
    assert get_user_model().objects.get(username="member").check_password("Mailed-link-2026!")


def test_the_email_settings_are_changed_with_the_keyboard_on_a_phone(tcast):
    with sweeps.chromium(axe=False) as browser, daphne() as base:
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        keys = Keyboard(context.new_page())
        log_in(keys, base, "member")
        page = keys.page
        page.goto(f"{base}/notifications/email/")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SCREENSHOTS / "email-settings-phone.png"), full_page=True)
        mentions = page.get_by_label(zh("Mentions in chat"))
        assert mentions.input_value() == "soon"
        keys.tab_to(mentions)
        keys.press("ArrowDown")
        assert mentions.input_value() == "digest"
        keys.tab_to(page.get_by_role("button", name=zh("Save")))
        keys.press("Enter")
        expect(page.get_by_text(zh("Your e-mail settings have been saved."))).to_be_visible()
        context.close()
    assert EmailSettings.objects.get(user=tcast.member).modes == {"chat.mentioned": "digest"}
