"""A challenge withdrawn while bidding was open never closed: its bids stay sealed for good."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import as_user

from .conftest import pass_deadline

SECRET = "独门秘方：液氮相变储能"


def _withdrawn_before_the_deadline(world):
    challenge = world.published(show_bid_count=False)
    rival = world.bid(challenge, "leader2", approach=SECRET, budget=Decimal("123456.78"))
    world.act(challenge, world.cast.poster, "withdraw", "不办了")
    return challenge, rival


def test_withdrawing_before_the_deadline_does_not_open_the_bids_to_the_poster_side(world, api):
    challenge, rival = _withdrawn_before_the_deadline(world)
    for reader in (world.cast.poster, world.cast.admin):
        client = as_user(api, reader)
        listed = client.get(f"/api/v1/challenges/{challenge.pk}/bids/")
        assert listed.status_code == 200 and SECRET not in listed.content.decode()
        assert client.get(f"/api/v1/bids/{rival.pk}/").status_code == 404
        assert client.get(f"/api/v1/challenges/{challenge.pk}/review/").status_code == 404
        assert client.get(f"/api/v1/challenges/{challenge.pk}/export.xlsx").status_code == 404


def test_the_bidder_still_reads_its_own_bid_on_a_challenge_withdrawn_before_the_deadline(world, api):
    _challenge, rival = _withdrawn_before_the_deadline(world)
    own = as_user(api, world.cast.leader2).get(f"/api/v1/bids/{rival.pk}/")
    assert own.status_code == 200 and own.json()["approach"] == SECRET


def test_withdrawing_after_the_deadline_leaves_the_bids_open_to_the_poster_side(world, api):
    challenge = world.published(show_bid_count=False)
    rival = world.bid(challenge, "leader2", approach=SECRET)
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "withdraw", "预算取消")
    client = as_user(api, world.cast.poster)
    assert client.get(f"/api/v1/bids/{rival.pk}/").json()["approach"] == SECRET
    assert client.get(f"/api/v1/challenges/{challenge.pk}/export.xlsx").status_code == 200
