"""Expert assignment gives one answer at both doors: a username (page) or id (API) that names no
account is refused exactly like one that names a member who is no expert (issue 12, defect 3)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from challenges.lifecycle import State


def _page_answer(user, challenge, username: str) -> tuple[int, list[str]]:
    client = Client()  # a session of its own: no message left over from the previous post
    client.force_login(user)
    response = client.post(reverse("challenges:assign_expert", args=[challenge.pk]), {"username": username})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    if response.status_code == 400:  # the review page again, the refused form with its errors
        said += [str(error) for errors in response.context["expert_form"].errors.values() for error in errors]
    return response.status_code, said


def test_the_page_answers_an_unknown_username_like_a_member_who_is_no_expert(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    unknown = _page_answer(world.cast.poster, challenge, "no-such-person")
    not_expert = _page_answer(world.cast.poster, challenge, world.cast.outsider.username)
    assert unknown == not_expert
    assert unknown[0] == 400 and unknown[1]
    assert not challenge.expert_assignments.exists()


def test_whom_may_not_assign_is_refused_before_any_username_is_looked_at(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    assert _page_answer(world.cast.leader1, challenge, "no-such-person")[0] == 403
    assert _page_answer(world.cast.leader1, challenge, world.expert2.username)[0] == 403


def test_the_api_and_the_page_refuse_a_non_expert_with_the_same_message(api, world):
    challenge = world.in_state(State.UNDER_REVIEW)
    _status, page_messages = _page_answer(world.cast.poster, challenge, "no-such-person")
    api.force_authenticate(world.cast.poster)
    missing_id = get_user_model().objects.order_by("-pk").first().pk + 1000
    unknown = api.post(
        f"/api/v1/challenges/{challenge.pk}/experts/", {"expert_id": missing_id}, format="json"
    )
    outsider = api.post(
        f"/api/v1/challenges/{challenge.pk}/experts/", {"expert_id": world.cast.outsider.pk}, format="json"
    )
    assert unknown.status_code == outsider.status_code == 400
    assert unknown.json() == outsider.json()
    assert any(message in str(unknown.json()) for message in page_messages)
