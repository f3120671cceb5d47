"""The main journeys with the keyboard alone (issue 13): Tab moves, Enter and Space act, typing fills.
Every element the journey's Tabs land on, on the way and at the target, must show a focus
indicator (an outline or a ring from :focus-visible) and have a box on screen. No click, no fill().
Run with the other browser sweeps: `make browser-checks`."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.models import Message
from challenges.models import Bid
from platform_core.orgs.models import StudioMembership
from showcase.models import Inquiry
from showcase.services import transfer
from tests.alliances.conftest import make_team
from tests.browser import sweeps
from tests.challenges.conftest import make_world
from tests.servers import daphne
from tests.showcase.conftest import make_achievement

pytestmark = [pytest.mark.browser, pytest.mark.browser_checks]

# One round trip per Tab: is the target focused, and does whatever has focus show it?
FOCUS = """([target]) => {
  const el = document.activeElement;
  // Past the last element focus leaves the page (the browser's own controls); Tab comes back.
  if (!el || el === document.body) return [false, ""];
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ringed = style.boxShadow && style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  const what = el.outerHTML.slice(0, 140);
  if (box.width === 0 || box.height === 0) return [false, `focus on an element with no box: ${what}`];
  if (!(outlined || ringed)) return [false, `focus not shown on ${what}`];
  return [el === target, ""];
}"""


class Keyboard:
    """Drives a page with Tab, Shift+Tab, Enter, Space and typing only."""

    def __init__(self, page):
        self.page = page

    def tab_to(self, locator, *, limit: int = 150) -> None:
        locator.wait_for(state="attached")
        target = locator.element_handle()
        if self.page.evaluate("([target]) => target === document.activeElement", [target]):
            return  # already there (autofocus)
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            reached, problem = self.page.evaluate(FOCUS, [target])
            assert not problem, problem
            if reached:
                return
        raise AssertionError(f"{locator} cannot be reached with Tab ({limit} presses)")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def fill(self, locator, text: str) -> None:
        self.tab_to(locator)
        self.type(text)


def log_in(keys: Keyboard, base: str, username: str) -> None:
    page = keys.page
    page.goto(f"{base}/login/")
    keys.fill(page.get_by_label("用户名"), username)
    keys.fill(page.get_by_label("密码"), "pw-for-tests")
    keys.press("Enter")
    page.wait_for_url(f"{base}/")


def keyboard_page(browser, base: str, username: str) -> Keyboard:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    keys = Keyboard(context.new_page())
    log_in(keys, base, username)
    return keys


def test_a_leader_bids_on_a_challenge_with_the_keyboard(tcast):
    challenge = make_world(tcast).published(title="键盘揭榜课题")
    due = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    with sweeps.chromium(axe=False) as browser, daphne() as base:
        keys = keyboard_page(browser, base, "leader1")
        page = keys.page
        page.goto(f"{base}/challenges/{challenge.pk}/")
        keys.tab_to(page.get_by_role("link", name="打开揭榜表单"))
        keys.press("Enter")
        page.wait_for_url(f"{base}/challenges/{challenge.pk}/bid/")
        keys.fill(page.locator("[name=approach]"), "行波测距与故障指示器联动")
        keys.fill(page.locator("[name=budget]"), "200000")
        keys.fill(page.locator("[name=milestones_text]"), f"样机 | {due} | 100000 | 样机一台")
        keys.fill(page.locator("[name=signer_name]"), "李工")
        keys.tab_to(page.locator("[name=signed]"))
        keys.press("Space")
        keys.tab_to(page.locator("form.card [type=submit]"))
        keys.press("Enter")
        page.wait_for_url(f"{base}/bids/")
    bid = Bid.objects.get(challenge=challenge, studio=tcast.studio1)
    assert bid.approach == "行波测距与故障指示器联动" and bid.budget == Decimal("200000")


def test_a_member_chats_in_the_team_room_with_the_keyboard(tcast):
    team = make_team(tcast).team  # led by `member`
    with sweeps.chromium(axe=False) as browser, daphne() as base:
        keys = keyboard_page(browser, base, "member")
        page = keys.page
        page.goto(f"{base}/teams/{team.pk}/")
        page.locator("[data-chat-presence]").filter(has_text="MEMBER").wait_for()
        keys.fill(page.locator("#chat-body"), "键盘发送的消息")
        keys.tab_to(page.locator("[data-chat-form] button[type=submit]"))
        keys.press("Enter")
        # Sent once the server acknowledged it (slow on two busy cores: up to a minute).
        sent = page.locator("[data-chat-log] .chat-message:not(.pending)", has_text="键盘发送的消息")
        sent.wait_for(timeout=60_000)
    assert Message.objects.filter(room__team=team, body="键盘发送的消息").exists()


def test_a_visitor_browses_the_showcase_and_asks_for_a_transfer_with_the_keyboard(tcast):
    achievement = make_achievement(tcast, title="键盘成果")
    transfer.listing_save(
        actor=tcast.leader1,
        achievement=achievement,
        maturity=6,
        modes=["licence"],
        price=Decimal("300000"),
        contact_name="王建国",
        contact_phone="13800000000",
    )
    with sweeps.chromium(axe=False) as browser, daphne() as base:
        keys = keyboard_page(browser, base, "poster2")
        page = keys.page
        page.goto(f"{base}/showcase/")
        keys.tab_to(page.get_by_role("link", name="键盘成果"))
        keys.press("Enter")
        page.wait_for_url(f"{base}/showcase/{achievement.pk}/")
        keys.fill(page.locator(".inquiry-form [name=organisation]"), "某电力公司")
        keys.fill(page.locator(".inquiry-form [name=message]"), "希望了解许可条件")
        keys.tab_to(page.locator(".inquiry-form [type=submit]"))
        keys.press("Enter")
        page.wait_for_load_state()
        page.get_by_text("希望了解许可条件").first.wait_for()
    inquiry = Inquiry.objects.get(listing__achievement=achievement, inquirer=tcast.poster2)
    assert inquiry.organisation == "某电力公司"


def test_a_leader_adds_and_removes_a_studio_member_with_the_keyboard(tcast):
    studio = tcast.studio1
    with sweeps.chromium(axe=False) as browser, daphne() as base:
        keys = keyboard_page(browser, base, "leader1")
        page = keys.page
        page.goto(f"{base}/studios/{studio.pk}/")
        keys.fill(page.locator("form.inline-form [name=username]"), "outsider")
        keys.tab_to(page.locator("form.inline-form [type=submit]"))
        keys.press("Enter")
        remove = page.get_by_role("button", name="移出 OUTSIDER")
        remove.wait_for()
        assert StudioMembership.objects.filter(studio=studio, user=tcast.outsider).exists()
        keys.tab_to(remove)
        keys.press("Space")
        page.get_by_role("button", name="移出 MEMBER").wait_for()
        assert remove.count() == 0
    assert not StudioMembership.objects.filter(studio=studio, user=tcast.outsider).exists()
