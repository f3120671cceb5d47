"""专家咨询 in a real Chromium: leader1 asks the technical committee, the expert takes it, they talk
live in the private thread, the expert answers, leader1 rates and publishes it as Q&A with the
name hidden, and an anonymous visitor finds it by a two-character Chinese word (on a phone)."""

from __future__ import annotations

import pytest

from alliances.consulting.models import Consultation, QAEntry
from tests.browser.test_browser import SCREENSHOTS, chromium, expect, log_in  # noqa: F401
from tests.consulting.world import make_committees
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

LOG = "[data-chat-log] .chat-message:not(.pending)"


def send(page, text: str) -> None:
    page.locator("[data-chat-form] textarea").fill(text)
    page.locator("[data-chat-form] button[type=submit]").click()


def test_a_question_asked_taken_talked_over_answered_rated_and_found(tcast, chromium):  # noqa: F811
    # Made before the browser starts: Playwright's loop would stop the on-commit publishing.
    make_committees(tcast)
    with daphne() as base:
        asker_context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        asker = asker_context.new_page()
        log_in(asker, base, "leader1")
        asker.goto(f"{base}/consulting/ask/")
        asker.locator("#id_committee").select_option("technical")
        asker.locator("#id_title").fill("变压器油色谱异常怎么判断")
        asker.locator("#id_body").fill("乙炔含量**偏高**，是否需要停运检查？")
        asker.locator("#id_work_fields").fill("焊接")
        asker.locator("form.card button[type=submit]").click()
        expect(asker.locator("[data-consultation-status]")).to_have_class("tag status-open")
        consultation = Consultation.objects.get(title="变压器油色谱异常怎么判断")
        detail = f"{base}/consulting/{consultation.pk}/"

        expert_context = chromium.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        expert = expert_context.new_page()
        log_in(expert, base, "expert")
        expert.goto(f"{base}/consulting/")
        expert.locator("[data-consulting-pool] a", has_text="变压器油色谱异常怎么判断").click()
        expert.locator("[data-take]").click()
        expect(expert.locator("[data-consultation-status]")).to_have_class("tag status-taken")
        expect(expert.locator("[data-chat-presence]")).to_contain_text("EXPERT")

        asker.goto(detail)
        expect(asker.locator("[data-chat-presence]")).to_contain_text("LEADER1")
        send(asker, "油样是昨天取的")
        expect(expert.locator(LOG)).to_have_count(1)
        expect(expert.locator(LOG).first).to_contain_text("油样是昨天取的")
        send(expert, "请再取一次油样复测")
        expect(asker.locator(LOG)).to_have_count(2)
        expect(asker.locator(LOG).last).to_contain_text("请再取一次油样复测")
        assert expert.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        expert.locator("#id_answer").fill("复测仍偏高则安排停运，做局部放电试验。")
        expert.locator("[data-answer]").click()
        expect(expert.locator("[data-consultation-answer]")).to_contain_text("局部放电试验")

        asker.goto(detail)
        asker.locator("#id_rating").select_option("5")
        asker.locator("#id_comment").fill("很及时")
        asker.locator("[data-rate]").click()
        expect(asker.locator("[data-consultation-rating]")).to_be_visible()
        asker.locator("#id_hide_name").check()
        asker.locator("[data-publish]").click()
        expect(asker.locator("[data-qa-asker]")).to_be_visible()
        entry = QAEntry.objects.get(consultation=consultation)
        assert entry.asker_name == "" and Consultation.objects.get(pk=consultation.pk).rating == 5

        visitor_context = chromium.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        visitor = visitor_context.new_page()
        visitor.goto(f"{base}/qa/")
        visitor.locator("#qa-q").fill("油样")
        visitor.locator("#qa-q").press("Enter")
        results = visitor.locator("[data-qa-results] a")
        expect(results).to_have_count(0)  # 油样 was said in the private thread, not published
        visitor.locator("#qa-q").fill("色谱")
        visitor.locator("#qa-q").press("Enter")
        expect(results).to_have_count(1)
        results.first.click()
        expect(visitor.locator("[data-qa-answer]")).to_contain_text("局部放电试验")
        assert "LEADER1" not in visitor.content()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        visitor.screenshot(path=str(SCREENSHOTS / "consulting-qa-phone.png"), full_page=True)
        for context in (asker_context, expert_context, visitor_context):
            context.close()
