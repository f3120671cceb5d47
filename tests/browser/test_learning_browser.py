"""The learning journey in a real Chromium at phone width: an anonymous visitor finds a course in
the catalogue by a 2-character Chinese word; `member` (of studio1) logs in, enrols, marks the text
lesson done, passes the quiz, and sees the completion on their learning record, their certificate
and their studio's page (members trained, hours)."""

from __future__ import annotations

import pytest

from alliances.learning.services import courses
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect
from tests.learning.world import add_quiz, make_course
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium  # the fixture, shared with the platform's browser tests

PHONE = {"width": 375, "height": 800}
PORT = 8531  # in the learning helper's range


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_member_completes_a_course_and_sees_it_on_record_and_studio(tcast, chromium):
    # Made before the browser starts: Playwright's loop would stop the on-commit publishing.
    course = make_course(tcast, title="带电作业安全操作法", publish=False)
    quiz_lesson = courses.lesson_add(actor=tcast.leader1, course=course, title="课后测验", body="回顾要点。")
    add_quiz(tcast.leader1, quiz_lesson)
    courses.course_publish(actor=tcast.leader1, course=course)
    make_course(tcast, title="焊接工艺入门", author=tcast.admin)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne(PORT) as base:
        context = chromium.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
        page = context.new_page()

        # 1. Anonymous: the catalogue finds the course by 带电, not the welding one.
        page.goto(f"{base}/learning/")
        page.locator("#learning-q").fill("带电")
        page.locator("#learning-q").press("Enter")
        results = page.locator(".course-card h2 a")
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text("带电作业安全操作法")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        # 2. member enrols and works through the lessons (the quiz one first: any order).
        log_in(page, base, "member")
        page.goto(f"{base}/learning/{course.pk}/")
        page.locator("[data-enrol]").click()
        expect(page.locator("[data-progress]")).to_have_attribute("data-progress", "0")
        page.locator(".lesson-list a", has_text="课后测验").click()
        page.get_by_label("绝缘手套").check()
        page.locator("[data-quiz-submit]").click()
        expect(page.locator("h1 [data-done]")).to_have_count(1)
        page.goto(f"{base}/learning/{course.pk}/")
        page.locator(".lesson-list a", has_text="绝缘防护").click()
        page.locator("[data-mark-done]").click()
        expect(page.locator("h1 [data-done]")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "learning-lesson-done-phone.png"), full_page=True)

        # 3. The course says completed, with its certificate.
        page.goto(f"{base}/learning/{course.pk}/")
        expect(page.locator("[data-completed]")).to_be_visible()
        page.locator("[data-completed] a").click()
        expect(page.locator("[data-certificate]")).to_contain_text("带电作业安全操作法")

        # 4. The learning record and the studio's page count it.
        page.goto(f"{base}/learning/record/")
        expect(page.locator(f'[data-enrolment="{course.pk}"]')).to_contain_text("带电作业安全操作法")
        expect(page.locator("[data-record-totals]")).to_contain_text("4")
        page.goto(f"{base}/studios/{tcast.studio1.pk}/")
        expect(page.locator('[data-figure="members_trained"] .tile-value')).to_have_text("1")
        expect(page.locator('[data-figure="training_hours"] .tile-value')).to_have_text("4")
        page.screenshot(path=str(SCREENSHOTS / "learning-studio-figures-phone.png"), full_page=True)
        context.close()
