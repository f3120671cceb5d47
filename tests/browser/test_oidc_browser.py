"""A new person from the enterprise portal in Chromium (issue 18): they press "sign in with the
enterprise portal" on the login page, sign in on the portal's own page (a real OpenID Connect
provider, tests/oidc_provider.py), come back with an account made from their claims, browse the
board and chat in their team's room with a local member, like a local account."""

from __future__ import annotations

import pytest

from alliances.models import Team
from alliances.services import teams
from platform_core.accounts.models import User
from platform_core.orgs.models import Unit
from tests.browser.test_browser import SCREENSHOTS, chromium, expect  # noqa: F401  (fixture)
from tests.challenges.conftest import make_world
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

LOG = "[data-chat-log] .chat-message:not(.pending)"


def test_a_portal_person_signs_in_with_the_button_browses_and_chats(tcast, oidc_portal, request):
    world = make_world(tcast)
    world.published(title="配网故障定位攻关")
    Unit.objects.create(name="门户单位", parent=tcast.group_h, region="上海")
    browser = request.getfixturevalue("chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with daphne(port=oidc_portal.app_port, **oidc_portal.environ()) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.locator('a[href^="/oidc/start/"]').click()
        # The portal's own sign-in page, then its consent page.
        page.wait_for_url(f"{oidc_portal.issuer}/interaction/**")
        page.locator("input[name=login]").fill("7f3c-zhao")
        page.locator("input[name=password]").fill("portal password")
        page.locator("button[type=submit]").click()
        page.locator("button[type=submit]", has_text="Continue").click()
        page.wait_for_url(f"{base}/")

        person = User.objects.get(username="zhaolei")
        assert (person.directory_source, person.unit.name, person.display_name) == (
            "oidc",
            "门户单位",
            "赵磊",
        )

        # The board, as any member sees it.
        page.goto(f"{base}/challenges/")
        expect(page.locator(".challenge-card", has_text="配网故障定位攻关")).to_be_visible()

        # Their team (made as the team page would) with a local member; they chat in its room.
        team = teams.team_create(actor=person, name="门户攻关队", purpose="故障定位")
        invitation = teams.team_invite(actor=person, team=team, user=tcast.member)
        teams.invitation_accept(actor=tcast.member, invitation_id=invitation.pk)
        Team.objects.filter(pk=team.pk).update(status=Team.Status.ACTIVE)
        page.goto(f"{base}/teams/{team.pk}/")
        expect(page.locator("[data-chat-presence]")).to_contain_text("赵磊")
        other_context = browser.new_context(locale="zh-CN")
        other = other_context.new_page()
        other.goto(f"{base}/login/")
        other.get_by_label("用户名").fill("member")
        other.get_by_label("密码").fill("pw-for-tests")
        other.get_by_role("button", name="登录").click()
        other.wait_for_url(f"{base}/")
        other.goto(f"{base}/teams/{team.pk}/")
        page.locator("[data-chat-form] textarea").fill("大家好，我是门户账号赵磊")
        page.locator("[data-chat-form] button[type=submit]").click()
        expect(other.locator(LOG)).to_have_count(1)
        expect(other.locator(LOG).first).to_contain_text("大家好，我是门户账号赵磊")
        page.screenshot(path=str(SCREENSHOTS / "portal-person-team-chat.png"), full_page=True)
        other_context.close()
        context.close()
