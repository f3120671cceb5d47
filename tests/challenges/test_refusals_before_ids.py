"""Award and mid-term refusals come before any bid id is looked at: the answer is the same for a
real bid and a made-up one."""

from __future__ import annotations

import pytest

from challenges.lifecycle import State
from tests.conftest import as_user


@pytest.mark.parametrize(("path", "field"), [("midterm", "continuing"), ("award", "winners")])
def test_before_the_deadline_a_real_and_a_made_up_bid_id_get_the_same_answer(world, api, path, field):
    challenge = world.published(show_bid_count=False)
    rival = world.bid(challenge, "leader2")
    client = as_user(api, world.cast.poster)
    url = f"/api/v1/challenges/{challenge.pk}/{path}/"
    body = {"rationale": "好"} if path == "award" else {}
    real = client.post(url, {**body, field: [rival.pk]}, format="json")
    made_up = client.post(url, {**body, field: [rival.pk + 1000]}, format="json")
    assert real.status_code >= 400
    assert (real.status_code, real.json()) == (made_up.status_code, made_up.json())


def test_the_midterm_review_continues_only_racing_teams(world, api):
    challenge = world.in_state(State.IN_PROGRESS, award_mode="racing", max_winners=2)
    loser = challenge.bids.get(studio=world.cast.studio1)  # lost the award
    response = as_user(api, world.cast.poster).post(
        f"/api/v1/challenges/{challenge.pk}/midterm/", {"continuing": [loser.pk]}, format="json"
    )
    assert response.status_code == 400 and "continuing" in response.json()
