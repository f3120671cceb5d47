"""The deadline rule: bidding closes at the deadline by the database clock, with or without the job;
late bids are refused, also when submits race the deadline (a real concurrent test on PostgreSQL)."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils import translation

from challenges.lifecycle import State
from challenges.models import Bid, Challenge
from challenges.selectors import board, challenge_for, state_of
from challenges.services import bids as bid_services
from challenges.services.challenges import challenge_close_due_bidding
from platform_core.realtime.models import Event

from .conftest import pass_deadline


def test_past_the_deadline_every_reader_sees_bidding_closed_before_any_job(world):
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    pass_deadline(challenge)
    assert Challenge.objects.get(pk=challenge.pk).state == State.PUBLISHED
    assert state_of(challenge_for(world.cast.outsider, challenge.pk)) == State.BIDDING_CLOSED
    assert [c.pk for c in board(world.cast.outsider, state=State.BIDDING_CLOSED)] == [challenge.pk]
    assert list(board(world.cast.outsider, state=State.PUBLISHED)) == []
    with pytest.raises(ValidationError, match="Bidding closed"):
        world.bid(challenge, "leader2")
    with pytest.raises(ValidationError, match="Bidding closed"):
        bid_services.bid_update(actor=world.cast.leader1, bid=bid, approach="改")
    with pytest.raises(ValidationError, match="Bidding closed"):
        bid_services.bid_withdraw(actor=world.cast.leader1, bid=bid)


def test_the_job_materialises_the_close_once_and_tells_poster_and_bidders(world):
    challenge = world.published()
    world.bid(challenge, "leader1")
    pass_deadline(challenge)
    assert challenge_close_due_bidding() == 1
    assert challenge_close_due_bidding() == 0
    assert Challenge.objects.get(pk=challenge.pk).state == State.BIDDING_CLOSED
    closes = Event.objects.filter(topic__name=challenge.topic, name="challenge.state_changed")
    assert [e.data["state"] for e in closes.order_by("seq")][-1] == State.BIDDING_CLOSED
    assert closes.filter(data__state=State.BIDDING_CLOSED).count() == 1
    assert world.cast.poster.notifications.filter(kind="challenge.bidding_closed").count() == 1
    assert world.cast.leader1.notifications.filter(kind="challenge.bidding_closed").count() == 1


def test_a_bidder_edits_and_withdraws_before_the_deadline_and_may_bid_again(world):
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    bid = bid_services.bid_update(actor=world.cast.leader1, bid=bid, approach="新方案")
    assert bid.approach == "新方案"
    with pytest.raises(ValidationError, match="already have an active bid"):
        world.bid(challenge, "leader1")
    bid_services.bid_withdraw(actor=world.cast.leader1, bid=bid)
    again = world.bid(challenge, "leader1")
    assert again.pk != bid.pk
    assert Bid.objects.filter(challenge=challenge, studio=world.cast.studio1).count() == 2


def _set_deadline_in(challenge: Challenge, seconds: float) -> None:
    Challenge.objects.filter(pk=challenge.pk).update(
        bidding_deadline=Now() + datetime.timedelta(seconds=seconds)
    )


@pytest.mark.postgres
def test_a_submit_that_waits_for_the_lock_past_the_deadline_is_refused(require_postgres, tworld):
    """The submit starts before the deadline, queues behind another transaction's lock on the
    challenge, and gets it after the deadline: the decision uses the clock after the lock."""
    challenge = tworld.published()
    _set_deadline_in(challenge, 1.0)
    locked = threading.Event()

    def hold_the_lock_past_the_deadline():
        try:
            with transaction.atomic():
                Challenge.objects.select_for_update().get(pk=challenge.pk)
                locked.set()
                time.sleep(2.0)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock_past_the_deadline)
    holder.start()
    assert locked.wait(5)
    try:
        with pytest.raises(ValidationError, match="Bidding closed"):
            tworld.bid(challenge, "leader1")
    finally:
        holder.join()
    assert not Bid.objects.filter(challenge=challenge).exists()


@pytest.mark.postgres
def test_two_simultaneous_submits_of_one_bidder_leave_one_bid(require_postgres, tworld):
    challenge = tworld.published()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        # A new thread starts in the default language (Chinese); the messages compared are English.
        with translation.override("en"):
            try:
                barrier.wait(5)
                tworld.bid(challenge, "leader1")
                outcomes.append("ok")
            except ValidationError as error:
                outcomes.append(" ".join(error.messages))
            finally:
                connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["You already have an active bid on this challenge; edit it instead.", "ok"]
    assert Bid.objects.filter(challenge=challenge).count() == 1
