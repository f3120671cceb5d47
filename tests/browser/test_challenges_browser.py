"""The challenge lifecycle in a real Chromium against real daphne ("done when" of issue 7), and
free text that must stay inert in the browser."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.utils import timezone

from challenges.lifecycle import State
from challenges.models import Bid, Challenge
from challenges.services import qa, reviews
from platform_core.accounts.models import ExpertProfile
from platform_core.orgs.models import Unit
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.challenges.conftest import make_world, pass_deadline
from tests.events import make_user
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def logged_in(browser, base: str, username: str, *, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill("pw-for-tests")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    return page


def press(page, action: str) -> None:
    """Press a lifecycle button on the challenge's page (the form posting `action`)."""
    page.locator(f"form:has(input[name=action][value={action}]) button").first.click()
    page.wait_for_load_state()


def test_a_challenge_goes_from_draft_to_accepted_in_the_browser(tcast, chromium):  # noqa: F811
    started = time.monotonic()
    unit_d = Unit.objects.create(name="单位D", parent=tcast.group_h, region="上海")
    expert1 = make_user("expert1", unit_d)
    ExpertProfile.objects.create(user=expert1, committee=ExpertProfile.Committee.TECHNICAL, fields=["节能"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        # The poster posts a draft through the page.
        poster = logged_in(chromium, base, "poster")
        poster.goto(f"{base}/challenges/new/")
        deadline = timezone.localtime() + datetime.timedelta(days=3)
        fields = {
            "title": "变电站巡检机器人攻关",
            "statement": "人工巡检效率低，寻求巡检机器人方案。",
            "fields_text": "巡检，机器人",
            "reward_amount": "300000",
            "bidding_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "expected_delivery": (deadline + datetime.timedelta(days=120)).strftime("%Y-%m-%d"),
            "contact_name": "周海燕",
            "max_winners": "1",
        }
        for name, value in fields.items():
            poster.locator(f"[name={name}]").fill(value)
        poster.locator("[name=unit]").select_option(str(tcast.unit_a.pk))
        poster.locator("form.form-grid [type=submit]").click()
        poster.wait_for_url(re.compile(r"/challenges/\d+/$"))
        challenge = Challenge.objects.get(title="变电站巡检机器人攻关")
        detail = f"{base}/challenges/{challenge.pk}/"
        press(poster, "submit")

        # Two studio leaders watch the board live, each in a browser context of their own.
        leaders = {name: logged_in(chromium, base, name) for name in ("leader1", "leader2")}
        for page in leaders.values():
            page.goto(f"{base}/challenges/")
            page.wait_for_selector("[data-live-status][data-state='live']")

        # A union admin approves: the challenge appears on both boards without a reload.
        admin = logged_in(chromium, base, "admin")
        admin.goto(detail)
        press(admin, "approve")
        for page in leaders.values():
            expect(page.locator("[data-board-new-list]")).to_contain_text("变电站巡检机器人攻关")
        leaders["leader1"].screenshot(path=str(SCREENSHOTS / "challenges-board-live.png"), full_page=True)

        # Both bid through the form; leader1, watching the challenge's page, sees the count move.
        due = (deadline + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
        for name, page in leaders.items():
            page.locator("[data-board-new-list] a").first.click()
            page.wait_for_url(detail)
            page.wait_for_selector("[data-live-status][data-state='live']")
            page.goto(f"{detail}bid/")
            page.locator("[name=approach]").fill(f"{name} 的方案：激光雷达 + 红外测温")
            page.locator("[name=budget]").fill("250000")
            page.locator("[name=milestones_text]").fill(f"样机 | {due} | 100000 | 样机一台")
            page.locator("[name=signer_name]").fill(name)
            page.locator("[name=signed]").check()
            page.locator("form [type=submit]").last.click()
            page.wait_for_url(f"{base}/bids/")
            if name == "leader1":
                page.goto(detail)
                page.wait_for_selector("[data-live-status][data-state='live']")
                expect(page.locator("[data-bid-count]")).to_have_text("1")
        expect(leaders["leader1"].locator("[data-bid-count]")).to_have_text("2")

        # The deadline passes (moved in the database); the poster starts the review, which leader1
        # sees live, and assigns expert1.
        pass_deadline(challenge)
        poster.goto(detail)
        press(poster, "start_review")
        expect(leaders["leader1"].locator("[data-challenge-state]")).to_have_class(
            re.compile("state-under_review")
        )
        poster.goto(f"{detail}review/")
        poster.locator("[name=username]").fill("expert1")
        poster.locator("form:has([name=username]) [type=submit]").click()
        poster.wait_for_load_state()

        # expert1 scores every bid on every criterion, with comments.
        expert = logged_in(chromium, base, "expert1")
        expert.goto(f"{detail}review/")
        for form_index in range(2):
            form = expert.locator("form.score-form").nth(form_index)
            for value in form.locator("input[name*=value_]").all():
                value.fill("80" if form_index == 0 else "90")
            for comment in form.locator("textarea").all():
                comment.fill("方案可行")
            form.locator("[type=submit]").click()
            expert.wait_for_load_state()
        expert.screenshot(path=str(SCREENSHOTS / "challenges-review-scored.png"), full_page=True)

        # The poster awards leader2's bid (the higher total) with a rationale and feedback to leader1.
        winner = Bid.objects.get(challenge=challenge, studio=tcast.studio2)
        loser = Bid.objects.get(challenge=challenge, studio=tcast.studio1)
        poster.goto(f"{detail}review/")
        poster.locator(f"#winner-{winner.pk}").check()
        poster.locator(f"#feedback-{loser.pk}").fill("预算偏高")
        poster.locator("#rationale").fill("总分最高，方案成熟")
        poster.locator(
            "form#award-form ~ * [type=submit][form=award-form], [type=submit][form=award-form]"
        ).first.click()
        poster.wait_for_load_state()
        poster.goto(detail)
        press(poster, "start_work")

        # The winner hands in the first milestone's evidence; the poster accepts it.
        winner_page = leaders["leader2"]
        winner_page.goto(f"{detail}milestones/")
        winner_page.locator("textarea[name=evidence_note]").first.fill("样机测试报告")
        winner_page.locator("form:has([name=evidence_note]) [type=submit]").first.click()
        winner_page.wait_for_load_state()
        poster.goto(f"{detail}milestones/")
        poster.locator("button[name=accept][value='1']").first.click()
        poster.wait_for_load_state()

        # The winner delivers; the poster accepts (验收).
        winner_page.goto(detail)
        press(winner_page, "deliver")
        poster.goto(detail)
        press(poster, "accept")
        expect(poster.locator("[data-challenge-state]")).to_have_class(re.compile("state-accepted"))
        poster.screenshot(path=str(SCREENSHOTS / "challenges-accepted.png"), full_page=True)

    challenge.refresh_from_db()
    assert challenge.state == State.ACCEPTED
    assert challenge.milestones.filter(status="accepted").count() == 1
    assert Bid.objects.get(pk=loser.pk).feedback == "预算偏高"
    assert time.monotonic() - started < 60


PAYLOAD = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2; alert(2)">'


def test_free_text_with_script_payloads_is_inert_in_the_browser(tcast, chromium):  # noqa: F811
    world = make_world(tcast)
    challenge = world.published(title=f"标题{PAYLOAD}", statement=f"说明{PAYLOAD}", requirements=PAYLOAD)
    question = qa.question_ask(actor=tcast.leader1, challenge=challenge, body=f"问{PAYLOAD}")
    qa.question_answer(actor=tcast.poster, question=question, answer=f"答{PAYLOAD}")
    world.bid(challenge, "leader1", approach=f"方案{PAYLOAD}", qualifications=PAYLOAD)
    world.bid(challenge, "leader2")
    pass_deadline(challenge)
    world.act(challenge, tcast.poster, "start_review")
    reviews.expert_assign(actor=tcast.poster, challenge=challenge, expert=world.expert2)
    bid = challenge.bids.order_by("pk").first()
    reviews.score_submit(
        actor=world.expert2,
        bid=bid,
        scores=[{"criterion": c.pk, "value": 70, "comment": PAYLOAD} for c in challenge.criteria.all()],
    )
    still_open = world.published(title=f"开放{PAYLOAD}", statement=PAYLOAD)
    with daphne() as base:
        dialogs: list[str] = []
        asker = logged_in(chromium, base, "leader2")
        for username in ("poster", "expert2"):
            page = logged_in(chromium, base, username)
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in (
                "/challenges/",
                f"/challenges/{challenge.pk}/",
                f"/challenges/{challenge.pk}/review/",
            ):
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
            # A question arriving live is rendered as text too.
            page.goto(f"{base}/challenges/{still_open.pk}/")
            page.wait_for_selector("[data-live-status][data-state='live']")
            # Asked through the page of another user, so that daphne publishes it.
            asker.goto(f"{base}/challenges/{still_open.pk}/")
            asker.locator("[name=body]").fill(f"实时{username}{PAYLOAD}")
            asker.locator("form:has([name=body]) [type=submit]").click()
            expect(page.locator("[data-questions]")).to_contain_text(f"实时{username}{PAYLOAD}")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned") is None
            assert page.locator("[data-questions] script, [data-questions] img, .prose img").count() == 0
            page.context.close()
        assert dialogs == []
