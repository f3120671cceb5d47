"""The review workspace's refused forms come back in place with what was typed (issue 12): the
award keeps its ticks, feedback and rationale; a refused score stays in its own bid's form; a
conflict declaration is refused on the workspace where it was typed and, once accepted, leads to
the challenge page."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from challenges.lifecycle import State
from challenges.models import Score
from challenges.services import reviews


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_refused_award_keeps_its_ticks_feedback_and_rationale(world):
    challenge = world.in_state(State.UNDER_REVIEW)  # one winner at most
    first, second = challenge.bids.order_by("pk")
    response = _client(world.cast.poster).post(
        reverse("challenges:award", args=[challenge.pk]),
        {"winners": [first.pk, second.pk], "rationale": "两家都好", f"feedback_{first.pk}": "预算偏高"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for bid in (first, second):
        assert re.search(rf'id="winner-{bid.pk}"[^>]*checked', html)
    assert "预算偏高</textarea>" in html and "两家都好</textarea>" in html
    assert "message-error" in html
    challenge.refresh_from_db()
    assert challenge.state == State.UNDER_REVIEW


def test_a_refused_score_stays_in_its_own_bids_form(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    first, second = challenge.bids.order_by("pk")
    criteria = list(challenge.criteria.all())
    data = {"stage": "bid"}
    for criterion in criteria:
        data[f"bid{second.pk}-value_{criterion.pk}"] = "150"
        data[f"bid{second.pk}-comment_{criterion.pk}"] = "第二家的评语"
    response = _client(world.expert2).post(reverse("challenges:score", args=[challenge.pk, second.pk]), data)
    assert response.status_code == 400
    forms = {row["bid"].pk: row["form"] for row in response.context["rows"]}
    assert forms[second.pk].is_bound and forms[second.pk].errors
    assert not forms[first.pk].is_bound
    assert 'value="150"' in response.content.decode()
    assert not Score.objects.filter(bid__challenge=challenge).exists()


def test_a_conflict_declaration_is_refused_in_place_and_accepted_to_the_challenge_page(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    client = _client(world.expert2)
    url = reverse("challenges:conflict", args=[challenge.pk])
    refused = client.post(url, {"reason": "近" * 4001})
    assert refused.status_code == 400 and refused.context["conflict_form"].errors
    assert "近" * 4001 in refused.content.decode()
    accepted = client.post(url, {"reason": "曾与投标方合作"})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("challenges:detail", args=[challenge.pk])
    assert challenge.expert_assignments.get(expert=world.expert2).recused
