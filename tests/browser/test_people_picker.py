"""The people picker in a real browser, by keyboard only: an @mention in the chat composer and a
suggestion in the team's invitation field (static/frontend/people.js)."""

from __future__ import annotations

import pytest

from challenges.lifecycle import State
from tests.alliances.conftest import make_team
from tests.browser.test_browser import SCREENSHOTS, chromium, expect, log_in  # noqa: F401
from tests.browser.test_team_chat import open_team
from tests.challenges.conftest import make_world
from tests.events import make_user
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def test_a_member_mentions_a_colleague_found_by_name_with_the_keyboard(tcast, chromium):  # noqa: F811
    world = make_team(tcast)  # led by `member`, with leader2
    make_user("wangfang", tcast.unit_c, display_name="王芳")
    with daphne() as base:
        context, page = open_team(chromium, base, "member", world.team.pk)
        composer = page.locator("#chat-body")
        composer.click()
        composer.press_sequentially("请 @王")
        listbox = page.locator("[role=listbox]")
        expect(listbox).to_be_visible()
        expect(listbox.locator("[role=option]").first).to_contain_text("王芳")
        expect(composer).to_have_attribute("aria-expanded", "true")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("[data-chat]").screenshot(path=str(SCREENSHOTS / "people-picker-mention.png"))
        composer.press("Enter")  # picks the highlighted person instead of a new line
        expect(composer).to_have_value("请 @wangfang ")
        expect(listbox).to_be_hidden()

        # The invitation field offers the same people as a datalist, chosen by username.
        invite = page.locator("input[name=user][data-people-source]")
        page.locator("details.card summary").first.click()
        invite.press_sequentially("王芳")
        expect(page.locator(f"#{invite.get_attribute('list')} option[value=wangfang]")).to_have_count(1)
        context.close()


def test_the_poster_is_offered_experts_without_the_conflicted_one(tcast, chromium):  # noqa: F811
    challenge = make_world(tcast).in_state(State.UNDER_REVIEW)  # studio2 of unit B bid; `expert` works in B
    with daphne() as base:
        context = chromium.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, base, "poster")
        page.goto(f"{base}/challenges/{challenge.pk}/review/")
        field = page.locator("input[name=username][data-people-source]")
        field.press_sequentially("EXPERT")
        options = page.locator(f"#{field.get_attribute('list')} option")
        expect(options).to_have_count(1)
        expect(options.first).to_have_attribute("value", "expert2")
        context.close()
