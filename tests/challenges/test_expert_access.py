"""Experts open the bids only once the review has started, after the automatic recusal ran; the
recusal notice never names a bidder."""

from __future__ import annotations

from challenges.lifecycle import State
from challenges.services import bids as bid_services
from challenges.services import challenges as challenge_services
from challenges.services import reviews
from platform_core.accounts.models import ExpertProfile
from platform_core.notifications.models import Notification
from platform_core.orgs.models import Studio
from tests.cast import name_studio
from tests.conftest import as_user
from tests.events import make_user

from .conftest import bid_content, pass_deadline

SECRET = "独门秘方：液氮相变储能"


def _leader1_is_also_an_expert(world):
    ExpertProfile.objects.create(
        user=world.cast.leader1, committee=ExpertProfile.Committee.TECHNICAL, fields=["节能"]
    )


def test_a_bidding_leader_assigned_as_expert_cannot_read_rival_bids_between_deadline_and_review(world, api):
    cast = world.cast
    _leader1_is_also_an_expert(world)
    challenge = world.published(show_bid_count=False)
    world.bid(challenge, "leader1")
    world.bid(challenge, "leader2", approach=SECRET)
    reviews.expert_assign(actor=cast.poster, challenge=challenge, expert=cast.leader1)
    pass_deadline(challenge)
    client = as_user(api, cast.leader1)
    assert SECRET not in client.get(f"/api/v1/challenges/{challenge.pk}/bids/").content.decode()
    challenge_services.challenge_close_due_bidding()
    assert challenge.expert_assignments.get(expert=cast.leader1).recused
    assert SECRET not in client.get(f"/api/v1/challenges/{challenge.pk}/bids/").content.decode()


def test_a_same_unit_expert_cannot_open_the_review_workspace_before_the_review_starts(world, api):
    cast = world.cast  # `expert` works in unit B, like studio2
    challenge = world.published(show_bid_count=False)
    world.bid(challenge, "leader2", approach=SECRET)
    reviews.expert_assign(actor=cast.poster, challenge=challenge, expert=cast.expert)
    pass_deadline(challenge)
    client = as_user(api, cast.expert)
    assert client.get(f"/api/v1/challenges/{challenge.pk}/review/").status_code == 404
    world.act(challenge, cast.poster, "start_review")
    assert client.get(f"/api/v1/challenges/{challenge.pk}/review/").status_code == 404


def test_an_unconflicted_expert_opens_the_bids_once_the_review_starts(world, api):
    challenge = world.in_state(State.BIDDING_CLOSED)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    client = as_user(api, world.expert2)
    assert client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json() == []
    world.act(challenge, world.cast.poster, "start_review")
    assert len(client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json()) == 2


def test_failing_a_closed_challenge_recuses_the_conflicted_experts_before_they_could_read(world, api):
    cast = world.cast
    challenge = world.published(show_bid_count=False)
    world.bid(challenge, "leader2", approach=SECRET)
    reviews.expert_assign(actor=cast.poster, challenge=challenge, expert=cast.expert)
    pass_deadline(challenge)
    world.act(challenge, cast.poster, "fail", "无合适方案")
    assert challenge.expert_assignments.get(expert=cast.expert).recused
    assert as_user(api, cast.expert).get(f"/api/v1/challenges/{challenge.pk}/bids/").json() == []


def test_the_recusal_notice_names_no_rival_bidder_while_the_assignment_keeps_the_reasons(world, api):
    cast = world.cast
    _leader1_is_also_an_expert(world)
    leader3 = make_user("leader3", cast.unit_a)
    studio3 = name_studio(
        cast.superadmin,
        name="三号秘密工作室",
        unit=cast.unit_a,
        type=Studio.Type.SKILL,
        level=Studio.Level.GROUP,
        leader=leader3,
    )
    challenge = world.published(show_bid_count=False)
    world.bid(challenge, "leader1")
    bid_services.bid_submit(
        actor=leader3, challenge=challenge, studio=studio3, **bid_content(challenge, "L3")
    )
    pass_deadline(challenge)
    reviews.expert_assign(actor=cast.poster, challenge=challenge, expert=cast.leader1)
    notices = Notification.objects.filter(recipient=cast.leader1, kind="review.recused")
    assert notices.count() == 1
    assert "三号秘密工作室" not in f"{notices.get().title} {notices.get().body}"
    assert "三号秘密工作室" in challenge.expert_assignments.get(expert=cast.leader1).recusal_reason
    world.act(challenge, cast.poster, "start_review")
    progress = as_user(api, cast.poster).get(f"/api/v1/challenges/{challenge.pk}/review/").json()["progress"]
    assert any("三号秘密工作室" in row["recusal_reason"] for row in progress)
