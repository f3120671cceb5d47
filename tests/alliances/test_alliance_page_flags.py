"""The alliance page offers to answer or end a membership exactly to whom the services allow it:
the template reads flags the view asked of the permissions, it decides nothing itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances import permissions
from alliances.services import alliances
from platform_core.orgs.models import Studio
from tests.cast import ROLES, name_studio
from tests.events import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast):
    """studio1 coordinates; studio2 (unit B) is invited; studio3 (unit C) asks to join; studio4
    (unit A) is an active member."""
    extra = {}
    for name, unit in (("leader3", cast.unit_c), ("leader4", cast.unit_a)):
        leader = make_user(name, unit)
        extra[name] = name_studio(
            cast.superadmin,
            name=f"{name}工作室",
            unit=unit,
            type=Studio.Type.SKILL,
            level=Studio.Level.GRASSROOTS,
            leader=leader,
        )
    alliance = alliances.alliance_create(actor=cast.leader1, name="焊接联盟", coordinator=cast.studio1)
    alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=cast.studio2)
    alliances.alliance_request_join(actor=extra["leader3"].leader, alliance=alliance, studio=extra["leader3"])
    invited = alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=extra["leader4"])
    alliances.alliance_membership_answer(actor=extra["leader4"].leader, membership_id=invited.pk, accept=True)
    return alliance


@pytest.mark.parametrize("role", ROLES)
def test_the_page_offers_what_the_rules_allow(client, cast, scene, role):
    user = getattr(cast, role)
    client.force_login(user)
    page = client.get(reverse("teams:alliance", args=[scene.pk])).content.decode()
    for membership in scene.memberships.select_related("studio", "alliance__coordinator"):
        answer_url = reverse("teams:alliance_answer", args=[scene.pk, membership.pk, "accept"])
        assert (answer_url in page) == permissions.can_answer_alliance_membership(user, membership), (
            membership
        )
        may_end = membership.status == "active" and permissions.can_end_alliance_membership(
            user, scene, membership.studio
        )
        assert (f'name="studio" value="{membership.studio_id}"' in page) == may_end, membership


def test_an_admin_over_the_invited_studio_is_offered_the_answer(client, cast, scene):
    """The service lets a union admin over the invited studio's unit answer for it; the page used
    to offer it only to the studios the viewer leads."""
    invited = scene.memberships.get(studio=cast.studio2)
    client.force_login(cast.admin)  # over group G: unit B, studio2's
    page = client.get(reverse("teams:alliance", args=[scene.pk])).content.decode()
    assert reverse("teams:alliance_answer", args=[scene.pk, invited.pk, "accept"]) in page
    alliances.alliance_membership_answer(actor=cast.admin, membership_id=invited.pk, accept=True)
    assert scene.memberships.get(studio=cast.studio2).status == "active"
