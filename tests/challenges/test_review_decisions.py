"""Smaller rules decided after the security review (docs/challenges.md, "Decisions")."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from challenges import permissions
from challenges.lifecycle import State
from challenges.models import Challenge
from challenges.services import bids as bid_services
from challenges.services import challenges as challenge_services
from platform_core.orgs.models import Studio
from tests.conftest import as_user

from .conftest import bid_content


def test_the_award_rationale_is_for_the_poster_side_experts_and_bidders_not_the_public(world, api):
    challenge = world.in_state(State.AWARDED)
    url = f"/api/v1/challenges/{challenge.pk}/"
    assert api.get(url).json()["award_rationale"] == ""
    assert as_user(api, world.cast.outsider).get(url).json()["award_rationale"] == ""
    for reader in (world.cast.poster, world.cast.leader1, world.cast.leader2):
        assert as_user(api, reader).get(url).json()["award_rationale"] == "方案最优"


def test_a_bid_submit_reads_the_studios_eligibility_under_the_lock_not_from_the_callers_copy(world):
    challenge = world.published()
    stale_copy = Studio.objects.get(pk=world.cast.studio1.pk)
    Studio.objects.filter(pk=stale_copy.pk).update(status=Studio.Status.DELISTED, delisted_reason="摘牌")
    with pytest.raises(PermissionDenied):
        bid_services.bid_submit(
            actor=world.cast.leader1, challenge=challenge, studio=stale_copy, **bid_content(challenge)
        )


def test_plan_dates_compare_with_the_deadlines_local_date_not_its_utc_date(world):
    # 20:00 UTC on 1 June is 04:00 on 2 June in Asia/Shanghai: a step due on 1 June comes before it.
    deadline = datetime.datetime(2031, 6, 1, 20, 0, tzinfo=datetime.UTC)
    assert deadline.astimezone(ZoneInfo("Asia/Shanghai")).date() == datetime.date(2031, 6, 2)
    challenge = world.published(bidding_deadline=deadline, expected_delivery=datetime.date(2031, 12, 1))
    content = bid_content(challenge)
    content["milestones"] = [{**content["milestones"][0], "due_date": datetime.date(2031, 6, 1)}]
    with pytest.raises(ValidationError):
        bid_services.bid_submit(
            actor=world.cast.leader1, challenge=challenge, studio=world.cast.studio1, **content
        )


def test_delivery_on_the_deadlines_local_date_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        world.draft(
            bidding_deadline=datetime.datetime(2031, 6, 1, 20, 0, tzinfo=datetime.UTC),
            expected_delivery=datetime.date(2031, 6, 2),
        )
    assert "expected_delivery" in refused.value.message_dict


def test_listing_a_group_among_the_eligible_units_admits_the_studios_of_its_units(world):
    challenge = world.draft(eligibility=Challenge.Eligibility.RESTRICTED)
    challenge.eligible_units.set([world.cast.group_g])
    assert permissions.eligibility_problem(challenge, studio=world.cast.studio1) == ""
    challenge.eligible_units.set([world.cast.unit_c])
    assert permissions.eligibility_problem(challenge, studio=world.cast.studio1) != ""


def test_a_field_label_with_a_bar_is_refused_and_a_bar_in_the_board_filter_matches_nothing(world, api):
    with pytest.raises(ValidationError):
        world.draft(fields=["节能|5G"])
    world.published(fields=["节能", "5G"])
    assert api.get("/api/v1/challenges/", {"field": "节能|5G"}).json()["results"] == []
    assert len(api.get("/api/v1/challenges/", {"field": "5G"}).json()["results"]) == 1


def test_invitees_find_a_withdrawn_invitation_in_the_list_as_on_its_page(world, api):
    challenge = world.draft(eligibility=Challenge.Eligibility.INVITATION)
    challenge.invited_studios.set([world.cast.studio1])
    challenge_services.challenge_transition(actor=world.cast.poster, challenge=challenge, action="submit")
    challenge_services.challenge_transition(actor=world.cast.admin, challenge=challenge, action="approve")
    world.act(challenge, world.cast.poster, "withdraw", "不办了")
    invitee = as_user(api, world.cast.leader1)
    assert invitee.get(f"/api/v1/challenges/{challenge.pk}/").status_code == 200
    assert challenge.pk in [row["id"] for row in invitee.get("/api/v1/challenges/").json()["results"]]
    outsider = as_user(api, world.cast.leader2)
    assert outsider.get(f"/api/v1/challenges/{challenge.pk}/").status_code == 404


def test_assigning_an_expert_reveals_no_account_ids(world, api):
    challenge = world.published()
    url = f"/api/v1/challenges/{challenge.pk}/experts/"
    outsider = as_user(api, world.cast.leader1)
    for user_id in (world.cast.member.pk, 10**9):
        assert outsider.post(url, {"expert_id": user_id}, format="json").status_code == 403
    poster = as_user(api, world.cast.poster)
    not_an_expert = poster.post(url, {"expert_id": world.cast.member.pk}, format="json")
    unknown = poster.post(url, {"expert_id": 10**9}, format="json")
    assert (not_an_expert.status_code, not_an_expert.json()) == (unknown.status_code, unknown.json())
