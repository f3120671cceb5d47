"""Second, independent tests of two challenge rules that one test each held until now: a bid after
the deadline is refused, and the mid-term review ends a racing team (末位淘汰). Each takes another
door, another bidder and other data than the first (test_deadline.py, test_reviews.py), so that
a mutation of the rule one of them misses, the other catches.

Checked by hand: with `bid_submit` accepting `bidding_closed` as well as `published`, the first
test fails; with the mid-term review cancelling accepted milestones too
(`bid.milestones.update(...)` without the `exclude`), or leaving the ended bid `won`, the second
fails."""

from __future__ import annotations

import datetime

from django.db.models.functions import Now
from django.urls import reverse

from challenges import events
from challenges.lifecycle import State
from challenges.models import Bid, Challenge, Milestone
from challenges.permissions import may_hand_in_evidence, roles_of
from challenges.selectors import effective_state_by_pk
from challenges.services import milestones, reviews
from platform_core.audit.models import AuditEntry
from tests.challenges.conftest import pass_deadline
from tests.conftest import as_user


def test_a_team_bid_sent_through_the_api_a_second_after_the_deadline_leaves_nothing_behind(world, api):
    challenge = world.published(show_bid_count=True)
    # The deadline is one second behind the database clock; the periodic job has not run.
    Challenge.objects.filter(pk=challenge.pk).update(bidding_deadline=Now() - datetime.timedelta(seconds=1))
    assert Challenge.objects.get(pk=challenge.pk).state == State.PUBLISHED
    due = (challenge.bidding_deadline + datetime.timedelta(days=40)).date().isoformat()
    response = as_user(api, world.teamlead).post(
        f"/api/v1/challenges/{challenge.pk}/bids/",
        {
            "team_id": world.team.pk,
            "approach": "迟到的方案",
            "budget": "1000",
            "commitment_text": "保证完成",
            "signer_name": "张队长",
            "milestones": [{"title": "设计", "due_date": due, "reward_share": "100"}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Bidding closed" in str(response.json())
    assert not Bid.objects.filter(challenge=challenge).exists()
    assert not AuditEntry.objects.filter(action=events.BID_SUBMITTED).exists()
    assert not world.cast.poster.notifications.filter(kind="bid.received").exists()
    assert effective_state_by_pk(challenge.pk) == State.BIDDING_CLOSED


def test_a_team_ended_at_the_midterm_through_the_page_keeps_what_was_accepted_and_stops_working(
    client, world
):
    challenge = world.published(award_mode="racing", max_winners=3)
    bids = {who: world.bid(challenge, who) for who in ("leader1", "leader2", "team")}
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "start_review")
    reviews.challenge_award(
        actor=world.cast.poster, challenge=challenge, winners=list(bids.values()), rationale="三队并行"
    )
    world.act(challenge, world.cast.poster, "start_work")
    # The mid-term falls at the second milestone; the first of studio2's is accepted before it.
    reviews.challenge_set_midterm(actor=world.cast.poster, challenge=challenge, position=2)
    first = Milestone.objects.get(bid=bids["leader2"], position=1)
    milestones.milestone_submit(actor=world.cast.leader2, milestone=first, evidence_note="第一阶段")
    milestones.milestone_review(actor=world.cast.poster, milestone=first, accept=True)
    leads = {"leader1": world.cast.leader1, "leader2": world.cast.leader2, "team": world.teamlead}
    for who, bid in bids.items():
        checkpoint = Milestone.objects.get(bid=bid, is_midterm=True)
        milestones.milestone_submit(actor=leads[who], milestone=checkpoint, evidence_note="中期")

    client.force_login(world.cast.poster)
    response = client.post(
        reverse("challenges:midterm_review", args=[challenge.pk]),
        {
            "continue": [str(bids["leader1"].pk), str(bids["team"].pk)],
            f"end_{bids['leader2'].pk}": "试点数据不达标",
        },
    )
    assert response.status_code == 302

    ended = Bid.objects.get(pk=bids["leader2"].pk)
    assert ended.status == Bid.Status.ELIMINATED and ended.elimination_reason == "试点数据不达标"
    statuses = dict(Milestone.objects.filter(bid=ended).values_list("position", "status"))
    assert statuses == {1: Milestone.Status.ACCEPTED, 2: Milestone.Status.CANCELLED}
    assert ended.milestones.get(position=2).evidence_note == "中期"  # the history stays
    for who in ("leader1", "team"):
        assert Bid.objects.get(pk=bids[who].pk).status == Bid.Status.WON
    assert not Milestone.objects.filter(
        bid__in=[bids["leader1"], bids["team"]], status=Milestone.Status.CANCELLED
    ).exists()
    # Ended, the team no longer acts as a winner: no evidence, no delivery.
    state = effective_state_by_pk(challenge.pk)
    assert not may_hand_in_evidence(world.cast.leader2, ended.milestones.get(position=2), state=state)
    assert roles_of(world.cast.leader2, Challenge.objects.get(pk=challenge.pk)) == set()
    assert world.cast.leader2.notifications.filter(kind="bid.eliminated").count() == 1
    assert not world.cast.leader1.notifications.filter(kind="bid.eliminated").exists()
