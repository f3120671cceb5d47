"""A person from the enterprise directory in Chromium (issue 18, "done when"): they sign in through
the login page with their directory password (the account is made then, in their unit), browse the
board, bid on a published challenge for the team they lead, and chat with a local member of it, like
a local account. The directory is a real slapd (tests/ldap_server.py), daphne signs in against it."""

from __future__ import annotations

import datetime
import json

import pytest

from alliances.models import Team
from alliances.services import teams
from challenges.models import Bid
from platform_core.accounts.models import User
from platform_core.orgs.models import Unit
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.challenges.conftest import make_world
from tests.ldap_server import GROUP_GRANTS, PASSWORDS
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

LOG = "[data-chat-log] .chat-message:not(.pending)"


def test_a_directory_person_signs_in_browses_bids_and_chats_like_a_local_one(tcast, ldap_directory, request):
    world = make_world(tcast)
    challenge = world.published(title="配网故障定位攻关")
    # chenjing's directory entry names the unit 外部单位.
    outside = Unit.objects.create(name="外部单位", parent=tcast.group_h, region="上海")
    environ = {**ldap_directory.environ(), "DIRECTORY_GROUP_GRANTS": json.dumps(GROUP_GRANTS)}
    browser = request.getfixturevalue("chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne(**environ) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.get_by_label("用户名").fill("chenjing")
        page.get_by_label("密码").fill(PASSWORDS["chenjing"])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/")

        person = User.objects.get(username="chenjing")
        assert (person.directory_source, person.unit, person.display_name) == ("ldap", outside, "陈静")
        page.goto(f"{base}/profile/")
        expect(page.locator("main")).to_contain_text("外部单位")
        expect(page.locator("main")).to_contain_text("LDAP / Active Directory")

        # The board, as any member sees it.
        page.goto(f"{base}/challenges/")
        expect(page.locator(".challenge-card", has_text="配网故障定位攻关")).to_be_visible()

        # They form a team (as the team page would) with a local member in it, and bid for it.
        team = teams.team_create(actor=person, name="目录攻关队", purpose="故障定位")
        invitation = teams.team_invite(actor=person, team=team, user=tcast.member)
        teams.invitation_accept(actor=tcast.member, invitation_id=invitation.pk)
        Team.objects.filter(pk=team.pk).update(status=Team.Status.ACTIVE)
        page.goto(f"{base}/challenges/{challenge.pk}/bid/")
        due = (challenge.bidding_deadline.date() + datetime.timedelta(days=30)).isoformat()
        page.locator("[name=approach]").fill("行波测距 + 故障指示器联动")
        page.locator("[name=budget]").fill("150000")
        page.locator("[name=milestones_text]").fill(f"样机 | {due} | 100000 | 样机一台")
        page.locator("[name=signer_name]").fill("陈静")
        page.locator("[name=signed]").check()
        page.locator("form.card [type=submit]").click()
        page.wait_for_url(f"{base}/bids/")
        bid = Bid.objects.get(challenge=challenge)
        assert bid.team_id == team.pk

        # The team's room: the directory person and the local member chat live.
        page.goto(f"{base}/teams/{team.pk}/")
        expect(page.locator("[data-chat-presence]")).to_contain_text("陈静")
        other_context = browser.new_context(locale="zh-CN")
        other = other_context.new_page()
        other.goto(f"{base}/login/")
        other.get_by_label("用户名").fill("member")
        other.get_by_label("密码").fill("pw-for-tests")
        other.get_by_role("button", name="登录").click()
        other.wait_for_url(f"{base}/")
        other.goto(f"{base}/teams/{team.pk}/")
        expect(other.locator("[data-chat-presence]")).to_contain_text("MEMBER")
        page.locator("[data-chat-form] textarea").fill("大家好，我是目录账号陈静")
        page.locator("[data-chat-form] button[type=submit]").click()
        expect(other.locator(LOG)).to_have_count(1)
        expect(other.locator(LOG).first).to_contain_text("大家好，我是目录账号陈静")
        page.screenshot(path=str(SCREENSHOTS / "directory-person-team-chat.png"), full_page=True)
        other_context.close()
        context.close()
