"""The public follows milestones by title, status and dates; the winning plan's deliverables and
reward stages are for the team doing the work and those who oversee it."""

from __future__ import annotations

from challenges.lifecycle import State
from tests.conftest import as_user

PLAN_FIELDS = {"deliverable", "reward_due", "reward_released"}


def test_visitors_and_rival_bidders_read_no_plan_content_in_the_milestone_list(world, api):
    challenge = world.in_state(State.AWARDED)
    url = f"/api/v1/challenges/{challenge.pk}/milestones/"
    for client in (api, as_user(api, world.cast.outsider), as_user(api, world.cast.leader1)):
        rows = client.get(url).json()
        assert rows and all(PLAN_FIELDS.isdisjoint(row) for row in rows)
        assert {"title", "status", "due_date"} <= set(rows[0])


def test_the_winner_and_the_poster_read_the_plan_content_of_the_milestones(world, api):
    challenge = world.in_state(State.AWARDED)
    url = f"/api/v1/challenges/{challenge.pk}/milestones/"
    for reader in (world.cast.leader2, world.cast.poster):
        rows = as_user(api, reader).get(url).json()
        assert rows and all(set(row) >= PLAN_FIELDS for row in rows)
        assert rows[0]["deliverable"] == "设计文档"
