"""The demo challenges: every state, two studios on one challenge, expert1's scores; idempotent."""

from __future__ import annotations

from challenges import demo
from challenges.models import Bid, Challenge, Score
from platform_core.demo import seed_demo


def test_the_demo_has_every_state_and_can_run_twice(db):
    seed_demo()
    counts = (Challenge.objects.count(), Bid.objects.count(), Score.objects.count())
    assert set(Challenge.objects.values_list("state", flat=True)) == set(Challenge.State.values)
    people = demo.DemoPeople.load()
    under_review = Challenge.objects.get(state="under_review")
    assert {bid.studio for bid in under_review.bids.all()} == {people.studio1, people.studio2}
    assert under_review.expert_assignments.filter(expert=people.expert1, recused=False).exists()
    assert Score.objects.filter(bid__challenge=under_review, expert=people.expert1).count() == 8
    seed_demo()
    assert (Challenge.objects.count(), Bid.objects.count(), Score.objects.count()) == counts
