"""The team, alliance and mentor pages: who sees what, and that the write pages call the services."""

from __future__ import annotations

import datetime

import pytest

from alliances.models import TeamInvitation
from alliances.services import alliances, mentors

pytestmark = pytest.mark.django_db


def test_a_member_sees_the_team_page_with_its_chat_pane(client, cast, world):
    client.force_login(cast.leader2)
    page = client.get(f"/teams/{world.team.pk}/").content.decode()
    assert f'data-live-topic="room:{world.room.pk}"' in page and "data-chat" in page


def test_an_outsider_gets_no_team_page_and_no_room(client, cast, world):
    client.force_login(cast.outsider)
    assert client.get(f"/teams/{world.team.pk}/").status_code == 404
    assert client.get(f"/rooms/{world.room.pk}/").status_code == 404


def test_a_studio_leader_sees_the_team_of_a_member_but_not_its_chat(client, cast, world):
    client.force_login(cast.leader1)  # leads studio1, where `member` works
    page = client.get(f"/teams/{world.team.pk}/").content.decode()
    assert world.team.name in page and 'data-live-topic="room:' not in page


def test_inviting_and_accepting_through_the_pages(client, cast, world):
    client.force_login(cast.member)
    client.post(f"/teams/{world.team.pk}/invite/", {"user": "outsider"})
    invitation = TeamInvitation.objects.get(user=cast.outsider)
    client.force_login(cast.outsider)
    assert f"/teams/invitations/{invitation.pk}/accept/" in client.get("/teams/").content.decode()
    client.post(f"/teams/invitations/{invitation.pk}/accept/")
    assert client.get(f"/teams/{world.team.pk}/").status_code == 200


def test_the_alliance_and_mentor_pages_render(client, cast):
    alliance = alliances.alliance_create(actor=cast.leader1, name="联盟", coordinator=cast.studio1)
    pair = mentors.mentor_pair_create(
        actor=cast.leader1,
        studio=cast.studio1,
        mentor=cast.leader1,
        apprentice=cast.member,
        skill="焊接",
        started_on=datetime.date(2026, 1, 1),
    )
    client.force_login(cast.member)
    for url in ("/alliances/", f"/alliances/{alliance.pk}/", "/mentors/", f"/mentors/{pair.pk}/"):
        assert client.get(url).status_code == 200, url
    client.force_login(cast.outsider)
    assert client.get(f"/mentors/{pair.pk}/").status_code == 404
