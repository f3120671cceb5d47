"""An accepted challenge's result is published from the challenge: the winner's lead finds the
link on the challenge page and in the acceptance notification (not only under 成果展示 → 我的成果)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from challenges.lifecycle import State
from platform_core.notifications.models import Notification
from showcase.services.achievements import achievement_create
from tests.cast import ROLES
from tests.showcase.conftest import achievement_data


def _form_url(challenge) -> str:
    return reverse("showcase:create") + f"?outcome={challenge.outcome.pk}"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_winners_lead_finds_the_publish_link_on_the_accepted_challenge(world, role):
    challenge = world.in_state(State.ACCEPTED)  # studio2's bid won: leader2 leads the winner
    client = Client()
    client.force_login(getattr(world.cast, role))
    page = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert (_form_url(challenge) in page) is (role == "leader2")


def test_the_acceptance_notification_leads_to_the_publish_form_which_opens(world):
    challenge = world.in_state(State.ACCEPTED)
    notice = Notification.objects.get(recipient=world.cast.leader2, kind="challenge.accept")
    assert notice.url == _form_url(challenge)
    client = Client()
    client.force_login(world.cast.leader2)
    form = client.get(notice.url)
    assert form.status_code == 200 and challenge.title in form.content.decode()


def test_the_link_is_gone_once_the_result_is_drafted_in_the_showcase(world):
    challenge = world.in_state(State.DELIVERED)
    client = Client()
    client.force_login(world.cast.leader2)
    url = reverse("challenges:detail", args=[challenge.pk])
    assert "?outcome=" not in client.get(url).content.decode()
    world.act(challenge, world.cast.poster, "accept")
    challenge.refresh_from_db()
    assert _form_url(challenge) in client.get(url).content.decode()
    achievement_create(
        actor=world.cast.leader2, studio=world.cast.studio2, outcome=challenge.outcome, **achievement_data()
    )
    assert "?outcome=" not in client.get(url).content.decode()
