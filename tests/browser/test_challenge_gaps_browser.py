"""The challenge pages' later steps in a real Chromium: the poster answers a question that arrived
live without reloading, and the post form and the review workspace fit a phone (screenshots at
390 px and on a desktop go to var/screenshots)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.models import Question
from challenges.services import attachments, reviews
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.browser.test_challenges_browser import logged_in
from tests.challenges.conftest import make_world, pass_deadline
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def test_the_poster_answers_a_question_that_arrived_live(tcast, chromium):  # noqa: F811
    world = make_world(tcast)
    challenge = world.published(title="实时问答课题")
    with daphne() as base:
        poster = logged_in(chromium, base, "poster")
        poster.goto(f"{base}/challenges/{challenge.pk}/")
        poster.wait_for_selector("[data-live-status][data-state='live']")
        poster.evaluate("window.__sameDocument = true")
        asker = logged_in(chromium, base, "leader2")
        asker.goto(f"{base}/challenges/{challenge.pk}/")
        asker.locator("[name=body]").fill("能否分期交付？<b>粗体</b>")
        asker.locator("form:has([name=body]) [type=submit]").click()
        question = poster.locator("[data-questions] li", has_text="能否分期交付？<b>粗体</b>")
        expect(question).to_be_visible()
        expect(question.get_by_label("答复")).to_be_visible()
        # Built live by challenge.js: the page that loaded before the question was never reloaded.
        assert poster.evaluate("window.__sameDocument") is True
        answer = question.locator("textarea[name=answer]")
        answer.fill("可以，分两期。")
        question.locator("button[type=submit]").click()
        poster.wait_for_load_state()
        expect(poster.locator("[data-questions]")).to_contain_text("可以，分两期。")
        assert Question.objects.get(challenge=challenge).answer == "可以，分两期。"


def _overflow(page) -> int:
    """How far the page is wider than its viewport (a phone layout must not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_post_form_and_the_review_workspace_fit_a_phone_and_a_desktop(tcast, chromium):  # noqa: F811
    world = make_world(tcast)
    challenge = world.published(title="巡检机器人攻关")
    bid = world.bid(challenge, "leader1")
    attachments.attachment_add(
        actor=tcast.leader1,
        upload=SimpleUploadedFile("技术方案.pdf", b"%PDF-1.4", content_type="application/pdf"),
        bid=bid,
    )
    world.bid(challenge, "leader2")
    pass_deadline(challenge)
    world.act(challenge, tcast.poster, "start_review")
    reviews.expert_assign(actor=tcast.poster, challenge=challenge, expert=world.expert2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        for width, label in ((390, "phone"), (1280, "desktop")):
            poster = logged_in(chromium, base, "poster", width=width)
            poster.goto(f"{base}/challenges/new/")
            expect(poster.locator("fieldset.check-list legend", has_text="定向")).to_have_count(2)
            assert _overflow(poster) <= 0
            poster.screenshot(path=str(SCREENSHOTS / f"challenge-post-form-{label}.png"), full_page=True)
            poster.goto(f"{base}/challenges/{challenge.pk}/review/")
            expect(poster.locator(f"#bid-{bid.pk} a[href^='/api/v1/challenge-attachments/']")).to_have_text(
                "技术方案.pdf"
            )
            assert _overflow(poster) <= 0
            poster.screenshot(path=str(SCREENSHOTS / f"challenge-review-{label}.png"), full_page=True)
            poster.context.close()
