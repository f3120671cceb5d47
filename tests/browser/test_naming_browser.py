"""A naming round in a real Chromium: the national union's admin opens a round, nominates studio1,
its leader submits the self-assessment, an expert scores it, the admin closes scoring and publishes
the named list; after the public notice the title is conferred and its certificate prints. Then a
re-assessment the studio fails takes the title away (摘牌), and the studio page keeps the history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from platform_core.orgs.models import NamingRound, StudioTitle
from tests.browser import test_browser
from tests.browser.test_browser import SCREENSHOTS, expect, log_in
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

chromium = test_browser.chromium  # the fixture, shared with the platform's browser tests
STANDARDS = ("political", "breakthrough", "achievements", "talent", "support")


def _click(page, action_suffix: str) -> None:
    page.locator(f"form[action$='{action_suffix}'] button[type=submit]").first.click()


def _self_assess(page, base: str, nomination_url: str) -> None:
    page.goto(f"{base}{nomination_url}")
    for standard in STANDARDS:
        page.locator(f"#id_text_{standard}").fill(f"{standard}：本工作室的自评说明")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("[data-nomination-status]")).to_have_attribute("data-nomination-status", "submitted")


def _score(page, base: str, nomination_url: str, value: str) -> None:
    page.goto(f"{base}{nomination_url}")
    for standard in STANDARDS:
        page.locator(f"#id_score_{standard}").fill(value)
    _click(page, "/score/")
    expect(page.locator("[data-my-score]").first).to_contain_text(value)


def test_an_admin_names_a_studio_and_a_failed_reassessment_revokes_the_title(tcast, chromium):
    studio_id, studio_name = tcast.studio1.pk, tcast.studio1.name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne() as base:
        admin = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        leader = chromium.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
        ).new_page()
        expert = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        log_in(admin, base, "superadmin")
        log_in(leader, base, "leader1")
        log_in(expert, base, "panelist")

        # The admin opens a national round (the schedule and the weights come prefilled).
        admin.goto(f"{base}/naming/open/")
        admin.locator("#id_level").select_option("national")
        admin.locator("#id_title").fill("2026 年度全国示范性创新工作室命名")
        admin.locator("#id_experts").fill("panelist, recused")
        admin.screenshot(path=str(SCREENSHOTS / "naming-open.png"), full_page=True)
        _click(admin, "/naming/open/")
        admin.wait_for_url("**/naming/*/")
        round_url = admin.url.removeprefix(base)
        admin.locator("#id_studio").select_option(str(studio_id))
        _click(admin, "/nominate/")
        admin.wait_for_url("**/naming/nominations/*/")
        nomination_url = admin.url.removeprefix(base)

        # The leader writes and submits the self-assessment, on a phone.
        _self_assess(leader, base, nomination_url)
        assert leader.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        leader.screenshot(path=str(SCREENSHOTS / "naming-nomination-phone.png"), full_page=True)

        admin.goto(f"{base}{round_url}")
        _click(admin, "/do/start_scoring/")
        expect(admin.locator("[data-round-status]")).to_have_attribute("data-round-status", "scoring")
        _score(expert, base, nomination_url, "86")
        expert.screenshot(path=str(SCREENSHOTS / "naming-scoring.png"), full_page=True)
        # The leader never sees the expert's score, not even once scoring is closed.
        leader.goto(f"{base}{nomination_url}")
        expect(leader.locator("[data-expert-scores]")).to_have_count(0)

        admin.goto(f"{base}{round_url}")
        _click(admin, "/do/close_scoring/")
        expect(admin.locator("[data-ranking] [data-total]").first).to_have_attribute("data-total", "86.00")
        expect(admin.locator("input[name=named]").first).to_be_checked()
        admin.screenshot(path=str(SCREENSHOTS / "naming-ranking.png"), full_page=True)
        _click(admin, "/publish/")
        expect(admin.locator("[data-round-status]")).to_have_attribute("data-round-status", "notice")
        leader.goto(f"{base}{round_url}")
        expect(leader.locator("[data-named-list]")).to_contain_text(studio_name)
        leader.screenshot(path=str(SCREENSHOTS / "naming-notice-phone.png"), full_page=True)

        # The notice period passes; the admin confers the title.
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        NamingRound.objects.filter(pk=int(round_url.strip("/").split("/")[-1])).update(
            notice_ends_on=yesterday
        )
        admin.goto(f"{base}{round_url}")
        _click(admin, "/do/confer/")
        expect(admin.locator("[data-round-status]")).to_have_attribute("data-round-status", "concluded")
        title = StudioTitle.objects.get(studio_id=studio_id)
        admin.goto(f"{base}/naming/titles/{title.pk}/certificate/")
        expect(admin.locator(".studio-name")).to_have_text(studio_name)
        admin.screenshot(path=str(SCREENSHOTS / "naming-certificate.png"), full_page=True)

        # A re-assessment: the studio scores below the pass mark and loses the title.
        admin.goto(f"{base}/naming/open/")
        admin.locator("#id_kind").select_option("reassessment")
        admin.locator("#id_level").select_option("national")
        admin.locator("#id_title").fill("2028 年度示范性创新工作室复核")
        admin.locator("#id_pass_mark").fill("70")
        admin.locator("#id_experts").fill("panelist")
        _click(admin, "/naming/open/")
        admin.wait_for_url("**/naming/*/")
        review_url = admin.url.removeprefix(base)
        review_nomination = admin.locator("[aria-labelledby=nominations-heading] a").first.get_attribute(
            "href"
        )
        assert review_nomination
        _self_assess(leader, base, review_nomination)
        admin.goto(f"{base}{review_url}")
        _click(admin, "/do/start_scoring/")
        _score(expert, base, review_nomination, "55")
        admin.goto(f"{base}{review_url}")
        _click(admin, "/do/close_scoring/")
        expect(admin.locator("input[name=named]").first).not_to_be_checked()  # below the pass mark
        admin.locator("#id_reason").fill("复核得分低于合格线：近两年无新增创新成果。")
        _click(admin, "/publish/")
        expect(admin.locator("[data-round-status]")).to_have_attribute("data-round-status", "concluded")

        leader.goto(f"{base}/studios/{studio_id}/")
        history = leader.locator("[data-studio-titles]")
        expect(history).to_contain_text("复核得分低于合格线")
        expect(history.locator(f"[data-title='{title.pk}'] .tag-danger")).to_have_count(1)
        history.scroll_into_view_if_needed()
        leader.screenshot(path=str(SCREENSHOTS / "naming-studio-history-phone.png"), full_page=True)
    title.refresh_from_db()
    assert not title.is_active
