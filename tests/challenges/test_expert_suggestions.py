"""Experts suggested for a challenge: by committee and field, conflicted ones left out once the
bids are open, for the poster side only; and the pickers on the pages point at their sources."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from challenges.lifecycle import State
from challenges.services import reviews
from platform_core.accounts.models import ExpertProfile
from tests.cast import ROLES
from tests.conftest import as_user
from tests.events import make_user


def _suggested(api, user, challenge, **params) -> list[str]:
    response = as_user(api, user).get(f"/api/v1/challenges/{challenge.pk}/experts/", params)
    assert response.status_code == 200, response.content
    return [row["username"] for row in response.json()]


def test_experts_whose_fields_meet_the_challenge_come_first(api, world):
    challenge = world.published()  # fields 节能, 5G
    other = make_user("expert3", world.cast.unit_c)
    ExpertProfile.objects.create(user=other, committee=ExpertProfile.Committee.TECHNICAL, fields=["机械"])
    names = _suggested(api, world.cast.poster, challenge)
    assert names[0] == "expert2"  # 节能
    assert {"expert", "expert3"} <= set(names[1:])
    assert "leader1" not in names  # not on a committee


def test_the_committee_and_the_words_typed_narrow_the_suggestions(api, world):
    challenge = world.published()
    assert _suggested(api, world.cast.poster, challenge, committee="advisory") == ["expert2"]
    assert _suggested(api, world.cast.poster, challenge, q="单位B") == ["expert"]


def test_assigned_experts_are_not_suggested_again(api, world):
    challenge = world.published()
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    assert "expert2" not in _suggested(api, world.cast.poster, challenge)


def test_conflicted_experts_are_left_out_once_the_bids_are_open_and_not_before(api, world):
    challenge = world.in_state(State.UNDER_REVIEW)  # studio2 of unit B bid; `expert` works in B
    assert "expert" not in _suggested(api, world.cast.poster, challenge)
    assert "expert2" in _suggested(api, world.cast.poster, challenge)
    sealed = world.published(title="仍在揭榜")
    world.bid(sealed, "leader2")
    # While bids are sealed, leaving `expert` out would tell the poster that unit B bid.
    assert "expert" in _suggested(api, world.cast.poster, sealed)


@pytest.mark.parametrize("role", ROLES)
def test_only_who_may_assign_experts_gets_suggestions(api, world, role):
    challenge = world.published()
    response = as_user(api, getattr(world.cast, role)).get(f"/api/v1/challenges/{challenge.pk}/experts/")
    assert response.status_code == (200 if role in ("superadmin", "admin", "poster") else 403)


def test_the_pickers_name_their_sources_on_the_pages(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    client = Client()
    client.force_login(world.cast.poster)
    review = client.get(reverse("challenges:review", args=[challenge.pk])).content.decode()
    assert f'data-people-source="{reverse("api-challenge-experts", args=[challenge.pk])}"' in review
    client.force_login(world.teamlead)
    team = client.get(reverse("teams:detail", args=[world.team.pk])).content.decode()
    # The invitation field and the chat composer (for @mentions) both suggest people.
    assert 'name="user"' in team and 'id="chat-body"' in team
    assert team.count(f'data-people-source="{reverse("api-people")}"') == 2
    assert "frontend/people" in team  # the script that makes the suggestions
