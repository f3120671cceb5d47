"""The milestones page's flags are the services' rules (issue 12, "no access rule in a template"):
for every role of the cast, the page offers reviewing, releasing and the mid-term point exactly to
whom the service accepts it from; a stage released in full is offered no more."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from challenges.lifecycle import State
from challenges.models import Milestone
from challenges.services import milestones, reviews
from tests.cast import ROLES
from tests.challenges.conftest import pass_deadline


class Undo(Exception):
    """Rolls a tried service call back."""


def _accepted(service_call) -> bool:
    """Whether the service accepts the call, leaving nothing changed."""
    try:
        with transaction.atomic():
            service_call()
            raise Undo
    except Undo:
        return True
    except (PermissionDenied, ValidationError):
        return False


def _rows(user, challenge) -> dict[int, dict]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk]))
    assert page.status_code == 200
    return {row["milestone"].pk: row for row in page.context["rows"]}


@pytest.fixture
def work(world):
    """In progress: studio2 (leader2) won; its first milestone accepted, its second handed in."""
    challenge = world.in_state(State.IN_PROGRESS)
    first, second = Milestone.objects.filter(challenge=challenge).order_by("position")[:2]
    milestones.milestone_submit(actor=world.cast.leader2, milestone=first, evidence_note="设计文档")
    milestones.milestone_review(actor=world.cast.poster, milestone=first, accept=True)
    milestones.milestone_submit(actor=world.cast.leader2, milestone=second, evidence_note="试点报告")
    return challenge, first, second


@pytest.mark.parametrize("role", ROLES)
def test_the_review_and_release_flags_agree_with_the_services(world, work, role):
    challenge, accepted, handed_in = work
    user = getattr(world.cast, role)
    rows = _rows(user, challenge)
    may_review = _accepted(
        lambda: milestones.milestone_review(actor=user, milestone=handed_in, accept=True, comments="好")
    )
    may_release = _accepted(
        lambda: milestones.milestone_release_reward(actor=user, milestone=accepted, amount=Decimal("1"))
    )
    assert rows[handed_in.pk]["may_review"] is may_review
    assert rows[accepted.pk]["may_release"] is may_release
    assert not rows[accepted.pk]["may_review"] and not rows[handed_in.pk]["may_release"]
    assert may_review is may_release is (role == "poster")
    page = Client()
    page.force_login(user)
    html = page.get(reverse("challenges:milestones", args=[challenge.pk])).content.decode()
    assert (reverse("challenges:milestone_review", args=[handed_in.pk]) in html) is may_review
    assert (reverse("challenges:milestone_release", args=[accepted.pk]) in html) is may_release


def test_a_stage_released_in_full_is_offered_no_more_and_refused(world, work):
    challenge, accepted, _handed_in = work
    poster = world.cast.poster
    assert _rows(poster, challenge)[accepted.pk]["may_release"]
    milestones.milestone_release_reward(actor=poster, milestone=accepted, amount=accepted.reward_due)
    assert not _rows(poster, challenge)[accepted.pk]["may_release"]
    with translation.override("en"), pytest.raises(ValidationError, match="released in full"):
        milestones.milestone_release_reward(actor=poster, milestone=accepted, amount=Decimal("1"))


def test_the_mid_term_point_is_offered_when_the_service_takes_it(world):
    """An awarded race: the service sets the mid-term point from the award on, so the page offers
    it then (the review itself waits for the work to be in progress)."""
    race = world.published(award_mode="racing", max_winners=2)
    bids = [world.bid(race, "leader1"), world.bid(race, "leader2")]
    pass_deadline(race)
    world.act(race, world.cast.poster, "start_review")
    reviews.challenge_award(actor=world.cast.poster, challenge=race, winners=bids, rationale="并行")
    client = Client()
    client.force_login(world.cast.poster)
    page = client.get(reverse("challenges:milestones", args=[race.pk]))
    assert page.context["may_set_midterm_point"] and not page.context["may_hold_midterm"]
    html = page.content.decode()
    assert reverse("challenges:midterm_point", args=[race.pk]) in html
    assert reverse("challenges:midterm_review", args=[race.pk]) not in html
    assert reviews.challenge_set_midterm(actor=world.cast.poster, challenge=race, position=1) == 2
