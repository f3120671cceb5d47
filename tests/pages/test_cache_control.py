"""Answers to a logged-in user are never cached; public pages stay cacheable."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/profile/",
        "/profile/edit/",
        "/notifications/",
        "/studios/",
        "/api/v1/me/",
        "/api/v1/notifications/",
    ],
)
def test_every_answer_to_a_logged_in_user_is_private_and_not_stored(cast, path):
    client = Client()
    client.force_login(cast.member)
    response = client.get(path)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_studio_page_and_its_fragments_are_not_stored(cast):
    client = Client()
    client.force_login(cast.leader1)
    for path in [f"/studios/{cast.studio1.pk}/", f"/studios/{cast.studio1.pk}/members/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_public_pages_for_anonymous_visitors_stay_cacheable(db):
    response = Client().get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
