"""The bidding journey in Chromium through the steps that broke (issue 12): the poster edits a draft
in Chinese and its dates are kept; a leader bids with reward stages labelled in yuan; the open
challenge page flips at the deadline without a reload and the bid form is refused after it. And
the ranking keeps its total in view on a 375 px phone (screenshots in var/screenshots)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models.functions import Now
from django.utils import timezone, translation

from challenges.lifecycle import State
from challenges.models import Bid, Challenge
from challenges.services import reviews
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.browser.test_challenges_browser import logged_in
from tests.challenges.conftest import make_world, pass_deadline
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def test_the_bidding_journey_keeps_dates_labels_stages_and_flips_at_the_deadline(tcast, request):
    world = make_world(tcast)
    deadline = (timezone.localtime() + datetime.timedelta(days=5)).replace(second=0, microsecond=0)
    draft = world.draft(
        title="配网故障定位攻关",
        reward_amount=300000,
        bidding_deadline=deadline,
        expected_delivery=deadline.date() + datetime.timedelta(days=120),
    )
    with translation.override("zh-hans"):
        closed_label = str(Challenge.State.BIDDING_CLOSED.label)
    # Playwright runs an event loop in this thread from here on: the data is made before it starts.
    browser = request.getfixturevalue("chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        detail = f"{base}/challenges/{draft.pk}/"

        # 1. The poster edits the draft in Chinese: both dates are shown, and saving keeps them.
        poster = logged_in(browser, base, "poster")
        poster.goto(f"{detail}edit/")
        expect(poster.locator("[name=bidding_deadline]")).to_have_value(deadline.strftime("%Y-%m-%dT%H:%M"))
        expect(poster.locator("[name=expected_delivery]")).to_have_value(
            (deadline.date() + datetime.timedelta(days=120)).isoformat()
        )
        poster.locator("[name=title]").fill("配网故障定位攻关（修订）")
        poster.locator("form.form-grid [type=submit]").click()
        poster.wait_for_url(detail)
        draft.refresh_from_db()
        assert draft.title == "配网故障定位攻关（修订）" and draft.bidding_deadline == deadline

        world.act(draft, tcast.poster, "submit")
        world.act(draft, tcast.admin, "approve")

        # 2. leader1 bids: the stages are labelled in yuan against the reward; too much is refused
        #    beside the field with the text kept; within the reward the bid is sealed.
        leader1 = logged_in(browser, base, "leader1")
        leader1.goto(f"{detail}bid/")
        help_text = leader1.locator("#id_milestones_text_help")
        expect(help_text).to_contain_text("元")
        expect(help_text).to_contain_text(re.compile(r"300,?000"))
        due = (deadline.date() + datetime.timedelta(days=30)).isoformat()
        leader1.locator("[name=approach]").fill("行波测距 + 故障指示器联动")
        leader1.locator("[name=budget]").fill("280000")
        too_much = f"样机 | {due} | 200000 | 样机一台\n试点 | {due} | 160000 | 试点报告"
        leader1.locator("[name=milestones_text]").fill(too_much)
        leader1.locator("[name=signer_name]").fill("李工")
        leader1.locator("[name=signed]").check()
        leader1.locator("form.card [type=submit]").click()
        leader1.wait_for_load_state()
        field = leader1.locator(".field:has([name=milestones_text])")
        expect(field.locator(".error")).to_contain_text(re.compile(r"360,?000"))
        expect(leader1.locator("[name=milestones_text]")).to_have_value(too_much)
        leader1.locator("[name=milestones_text]").fill(
            f"样机 | {due} | 100000 | 样机一台\n试点 | {due} | 200000 | 试点报告"
        )
        leader1.locator("[name=signed]").check()
        leader1.locator("form.card [type=submit]").click()
        leader1.wait_for_url(f"{base}/bids/")
        bid = Bid.objects.get(challenge=draft)
        assert [step.reward_share for step in bid.plan_steps.order_by("position")] == [100000, 200000]

        # 3. leader2 has the page open when the deadline comes (moved to a few seconds ahead on
        #    the database clock; no periodic job runs): the state tag and the bid button change
        #    at the deadline, in the same document.
        Challenge.objects.filter(pk=draft.pk).update(bidding_deadline=Now() + datetime.timedelta(seconds=6))
        leader2 = logged_in(browser, base, "leader2")
        board = leader2.context.new_page()
        board.goto(f"{base}/challenges/")
        card = board.locator(".challenge-card", has_text="配网故障定位攻关（修订）")
        expect(card.locator("[data-challenge-state]")).to_have_class(re.compile("state-published"))
        leader2.goto(detail)
        expect(leader2.locator("[data-challenge-state]")).to_have_class(re.compile("state-published"))
        expect(leader2.get_by_role("link", name="打开揭榜表单")).to_be_visible()
        leader2.evaluate("window.__sameDocument = true")
        expect(leader2.locator("[data-challenge-state]")).to_have_class(re.compile("state-bidding_closed"))
        expect(leader2.locator("[data-challenge-state]")).to_have_text(closed_label)
        expect(leader2.locator("[data-while-bidding]")).to_have_count(0)
        assert leader2.evaluate("window.__sameDocument") is True
        # The board open beside it flips its card too.
        expect(card.locator("[data-challenge-state]")).to_have_class(re.compile("state-bidding_closed"))
        expect(card.locator("[data-challenge-state]")).to_have_text(closed_label)
        leader2.screenshot(path=str(SCREENSHOTS / "bidding-closed-live.png"), full_page=True)

        # 4. The bid form is no longer served: back to the challenge with the reason.
        leader2.goto(f"{detail}bid/")
        leader2.wait_for_url(detail)
        expect(leader2.locator(".messages, [role=alert]").first).to_contain_text("揭榜已于")


def test_the_ranking_keeps_its_total_in_view_on_a_phone(tcast, request):
    world = make_world(tcast)
    challenge = world.published(
        title="巡检机器人攻关", criteria=[("技术方案可行性", 40), ("团队综合能力", 30), ("预算合理性", 30)]
    )
    bids = [world.bid(challenge, "leader1"), world.bid(challenge, "leader2")]
    pass_deadline(challenge)
    world.act(challenge, tcast.poster, "start_review")
    reviews.expert_assign(actor=tcast.poster, challenge=challenge, expert=world.expert2)
    for bid in bids:
        reviews.score_submit(
            actor=world.expert2,
            bid=bid,
            scores=[{"criterion": c.pk, "value": 87} for c in challenge.criteria.all()],
        )
    assert Challenge.objects.get(pk=challenge.pk).state == State.UNDER_REVIEW
    browser = request.getfixturevalue("chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        poster = logged_in(browser, base, "poster", width=375)
        poster.set_viewport_size({"width": 375, "height": 800})
        poster.goto(f"{base}/challenges/{challenge.pk}/review/")
        poster.locator("#ranking-heading").scroll_into_view_if_needed()
        poster.screenshot(path=str(SCREENSHOTS / "ranking-phone-375.png"))
        wrapper = poster.locator("section:has(#ranking-heading) .table-wrap")
        total = wrapper.locator("thead th").last
        expect(total).to_have_text("总分")
        box, frame = total.bounding_box(), wrapper.bounding_box()
        assert box is not None and frame is not None
        # The criteria scroll inside the wrapper; the total stays inside its visible frame.
        assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
        assert poster.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
