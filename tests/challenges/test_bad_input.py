"""Bad input from a client is a clear 400, never a 500: ids, numbers and dates are parsed strictly,
and the lists a poster or bidder sends are bounded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from challenges.lifecycle import State
from challenges.models import MAX_CRITERIA, MAX_PLAN_STEPS, MAX_TEAM_ROWS
from challenges.services import bids as bid_services
from challenges.services import challenges as challenge_services
from tests.conftest import as_user

from .conftest import bid_content, challenge_fields

TOO_BIG = 2**70


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "²"},
        {"unit": "abc"},
        {"unit": str(TOO_BIG)},
        {"deadline_after": "2024-02-30T10:00"},
        {"deadline_before": "2024-13-01T10:00"},
        {"reward_min": "NaN"},
    ],
)
def test_the_board_answers_400_to_a_malformed_filter(world, api, params):
    world.published()
    response = api.get("/api/v1/challenges/", params)
    assert response.status_code == 400, response.content
    assert set(response.json()) == set(params)


def test_the_board_still_filters_by_a_well_formed_unit_and_date(world, api):
    challenge = world.published()
    rows = api.get(
        "/api/v1/challenges/", {"unit": world.cast.unit_a.pk, "deadline_after": "2000-01-01T00:00"}
    ).json()["results"]
    assert [row["id"] for row in rows] == [challenge.pk]


@pytest.mark.parametrize("key", ["²", "abc", str(TOO_BIG)])
def test_award_feedback_keyed_by_anything_but_a_bid_id_is_a_400(world, api, key):
    challenge = world.in_state(State.UNDER_REVIEW)
    bid = challenge.bids.get(studio=world.cast.studio2)
    response = as_user(api, world.cast.poster).post(
        f"/api/v1/challenges/{challenge.pk}/award/",
        {"winners": [bid.pk], "rationale": "好", "feedback": {key: "x"}},
        format="json",
    )
    assert response.status_code == 400 and "feedback" in response.json()


def test_midterm_reasons_keyed_by_anything_but_a_bid_id_are_a_400(world, api):
    challenge = world.in_state(State.IN_PROGRESS, award_mode="racing", max_winners=2)
    bid = challenge.bids.get(studio=world.cast.studio2)
    response = as_user(api, world.cast.poster).post(
        f"/api/v1/challenges/{challenge.pk}/midterm/",
        {"continuing": [bid.pk], "ended": {"²": "x"}},
        format="json",
    )
    assert response.status_code == 400 and "ended" in response.json()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/challenges/{id}/award/", {"winners": [TOO_BIG], "rationale": "好"}),
        ("/api/v1/challenges/{id}/experts/", {"expert_id": TOO_BIG}),
        ("/api/v1/challenges/{id}/scores/", {"bid_id": TOO_BIG, "scores": []}),
        ("/api/v1/problems/", {"unit_id": TOO_BIG, "title": "t", "description": "d"}),
    ],
)
def test_an_id_beyond_the_database_range_is_a_400(world, api, url, body):
    challenge = world.in_state(State.UNDER_REVIEW)
    response = as_user(api, world.cast.poster).post(url.format(id=challenge.pk), body, format="json")
    assert response.status_code == 400, (url, response.status_code)


def _bid_body(challenge, **extra):
    due = (challenge.bidding_deadline + datetime.timedelta(days=40)).date().isoformat()
    body = {
        "approach": "a",
        "budget": "1",
        "commitment_text": "c",
        "signer_name": "s",
        "milestones": [{"title": "t", "due_date": due}],
    }
    body.update(extra)
    return body


def test_a_bid_with_more_plan_steps_or_team_rows_than_the_cap_is_a_400(world, api):
    challenge = world.published()
    client = as_user(api, world.cast.leader1)
    url = f"/api/v1/challenges/{challenge.pk}/bids/"
    steps = _bid_body(challenge)["milestones"] * (MAX_PLAN_STEPS + 1)
    too_many_steps = client.post(
        url, _bid_body(challenge, studio_id=world.cast.studio1.pk, milestones=steps), format="json"
    )
    assert too_many_steps.status_code == 400 and "milestones" in too_many_steps.json()
    people = [{"name": "x", "role": "y"}] * (MAX_TEAM_ROWS + 1)
    too_many_people = client.post(
        url, _bid_body(challenge, studio_id=world.cast.studio1.pk, team_composition=people), format="json"
    )
    assert too_many_people.status_code == 400 and "team_composition" in too_many_people.json()


def test_the_bid_service_refuses_more_plan_steps_or_team_rows_than_the_cap(world):
    challenge = world.published()
    content = bid_content(challenge)
    for field, rows in (
        ("milestones", content["milestones"][:1] * (MAX_PLAN_STEPS + 1)),
        ("team_composition", content["team_composition"] * (MAX_TEAM_ROWS + 1)),
    ):
        with pytest.raises(ValidationError) as refused:
            bid_services.bid_submit(
                actor=world.cast.leader1,
                challenge=challenge,
                studio=world.cast.studio1,
                **{**content, field: rows},
            )
        assert field in refused.value.message_dict


def test_a_challenge_with_more_criteria_than_the_cap_is_refused_by_api_and_service(world, api):
    # Weights that add up to 100, so only the number of criteria is wrong.
    weights = [4] * MAX_CRITERIA + [100 - 4 * MAX_CRITERIA]
    criteria = [{"name": f"c{i}", "weight": weight} for i, weight in enumerate(weights)]
    draft = world.draft()
    response = as_user(api, world.cast.poster).patch(
        f"/api/v1/challenges/{draft.pk}/", {"criteria": criteria}, format="json"
    )
    assert response.status_code == 400 and "criteria" in response.json()
    with pytest.raises(ValidationError) as refused:
        challenge_services.challenge_create(
            actor=world.cast.poster,
            unit=world.cast.unit_a,
            **challenge_fields(criteria=[(row["name"], row["weight"]) for row in criteria]),
        )
    assert "criteria" in refused.value.message_dict


def test_a_bid_with_32768_plan_steps_is_a_400_not_a_database_error(world, api, require_postgres):
    challenge = world.published()
    body = _bid_body(challenge, studio_id=world.cast.studio1.pk)
    body["milestones"] = body["milestones"] * 32768
    response = as_user(api, world.cast.leader1).post(
        f"/api/v1/challenges/{challenge.pk}/bids/", body, format="json"
    )
    assert response.status_code == 400
