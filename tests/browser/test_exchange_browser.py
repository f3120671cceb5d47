"""经验交流 in a real browser (issue 17): member2 writes a post and member3's comment appears on
member2's open page without a reload; an anonymous visitor finds the post by a two-character
Chinese word on the learning and exchange search."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.browser.test_browser import SCREENSHOTS, chromium, expect, log_in  # noqa: F401
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def test_a_comment_appears_live_and_a_visitor_finds_the_post(tcast, chromium):  # noqa: F811
    User = get_user_model()
    for username in ("member2", "member3"):
        User.objects.create_user(
            username=username, password="pw-for-tests", unit=tcast.unit_a, display_name=username.upper()
        )
    with daphne() as base:
        author_context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        author = author_context.new_page()
        log_in(author, base, "member2")
        author.goto(f"{base}/exchange/new/")
        author.locator("input[name=title]").fill("变电站巡检的三条心得")
        author.locator("textarea[name=body]").fill("红外测温要在**负荷高峰**做。")
        author.locator("main form.card button[type=submit]").click()
        author.wait_for_url(re.compile(r"/exchange/\d+/$"))
        post_url = author.url
        expect(author.locator("h1")).to_have_text("变电站巡检的三条心得")

        reader_context = chromium.new_context(locale="zh-CN")
        reader = reader_context.new_page()
        log_in(reader, base, "member3")
        reader.goto(post_url)
        reader.locator("textarea[name=body]").last.fill(
            "学到了，@member2 谢谢分享 <img src=x onerror=alert(1)>"
        )
        reader.locator("section.exchange-comments form button[type=submit]").last.click()
        reader.wait_for_url(re.compile(r"/exchange/\d+/$"))

        # No reload on the author's page: the comment arrives on the post's live topic.
        live = author.locator("[data-comments] .exchange-comment")
        expect(live).to_have_count(1)
        expect(live.first).to_contain_text("学到了")
        expect(live.first).to_contain_text("MEMBER3")
        assert author.locator("[data-comments] img").count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        author.screenshot(path=str(SCREENSHOTS / "exchange-live-comment-phone.png"), full_page=True)

        visitor_context = chromium.new_context(locale="zh-CN")
        visitor = visitor_context.new_page()
        visitor.goto(f"{base}/learn/search/")
        visitor.locator("input[name=q]").fill("巡检")
        visitor.locator("main form[role=search] button[type=submit]").click()
        result = visitor.locator("[data-hit-kind=post] h2 a")
        expect(result).to_have_count(1)
        expect(result).to_contain_text("变电站巡检的三条心得")
        expect(result.locator("mark")).to_have_text("巡检")
        result.click()
        expect(visitor.locator("h1")).to_have_text("变电站巡检的三条心得")
        for context in (author_context, reader_context, visitor_context):
            context.close()
