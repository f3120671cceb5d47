"""The team chat in real browsers: two members of different units, one of them offline for a
while, and message bodies that try to run script."""

from __future__ import annotations

import pytest

from tests.alliances.conftest import make_team
from tests.browser.test_browser import SCREENSHOTS, chromium, expect, log_in  # noqa: F401
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

LOG = "[data-chat-log] .chat-message:not(.pending)"


def send(page, text: str) -> None:
    page.locator("[data-chat-form] textarea").fill(text)
    page.locator("[data-chat-form] button[type=submit]").click()


def open_team(browser, base: str, username: str, team_id: int, **options):
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    log_in(page, base, username)
    page.goto(f"{base}/teams/{team_id}/")
    # The chat is live once the room's subscription answered with the presence list.
    expect(page.locator("[data-chat-presence]")).to_contain_text(username.upper())
    return context, page


def test_two_members_chat_and_one_back_from_offline_sees_all_three_in_order_once(tcast, chromium):  # noqa: F811
    world = make_team(tcast)  # led by `member` (unit A), with leader2 (unit B)
    with daphne() as base:
        lead_context, lead = open_team(
            chromium, base, "member", world.team.pk, viewport={"width": 1280, "height": 900}
        )
        other_context, other = open_team(
            chromium, base, "leader2", world.team.pk, viewport={"width": 390, "height": 844}
        )
        expect(lead.locator("[data-chat-presence]")).to_contain_text("LEADER2")
        send(lead, "大家好，**开始**吧")
        expect(other.locator(LOG)).to_have_count(1)
        expect(other.locator(LOG).first).to_contain_text("大家好，开始吧")

        # Offline: the open socket is closed and every reconnection refused until back online
        # (Chromium's offline emulation does not stop websockets by itself).
        offline = True
        other_context.route_web_socket("**/ws/", lambda ws: ws.close() if offline else ws.connect_to_server())
        other.evaluate("window.realtime.socket && window.realtime.socket.close()")
        expect(other.locator("[data-chat-banner]")).to_be_visible()
        for number in ("一", "二", "三"):
            send(lead, f"离线期间第{number}条")
        expect(lead.locator(LOG)).to_have_count(4)
        offline = False
        expect(other.locator(LOG)).to_have_count(4, timeout=30_000)
        expect(other.locator("[data-chat-banner]")).to_be_hidden()
        texts = other.locator(f"{LOG} .chat-body").all_inner_texts()
        assert texts == ["大家好，开始吧", "离线期间第一条", "离线期间第二条", "离线期间第三条"]

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lead.screenshot(path=str(SCREENSHOTS / "team-chat-desktop.png"), full_page=True)
        other.screenshot(path=str(SCREENSHOTS / "team-chat-phone.png"), full_page=True)
        lead_context.close()
        other_context.close()


def test_no_message_body_runs_script_in_the_browser(tcast, chromium):  # noqa: F811
    world = make_team(tcast)
    attacks = [
        "<script>alert('script')</script>",
        "<img src=x onerror=\"alert('onerror')\">",
        "[点我](javascript:alert('link'))",
        "<svg onload=\"alert('svg')\"></svg>",
        "```\n</code></pre><img src=x onerror=alert('fence')>\n```",
    ]
    with daphne() as base:
        sender_context, sender = open_team(chromium, base, "member", world.team.pk)
        reader_context, reader = open_team(chromium, base, "leader2", world.team.pk)
        dialogs: list[str] = []
        for page in (sender, reader):
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for attack in attacks:
            send(sender, attack)
        expect(reader.locator(LOG)).to_have_count(len(attacks))
        reader.reload()
        expect(reader.locator(LOG)).to_have_count(len(attacks))
        for link in reader.locator(f"{LOG} a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            link.click(modifiers=["Control"], no_wait_after=True)  # a click must run nothing either
        assert reader.locator(f"{LOG} img, {LOG} svg, {LOG} script").count() == 0
        assert dialogs == []
        sender_context.close()
        reader_context.close()
