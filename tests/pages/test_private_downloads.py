"""Every private download answers alike once access is checked: streamed from here, or, behind
nginx (PRIVATE_MEDIA_ACCEL_PREFIX), handed to nginx with X-Accel-Redirect and no body."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.pages.test_download_login import achievement_file_url, challenge_file_url, chat_file_url  # noqa: F401

pytestmark = pytest.mark.django_db

DOORS = ["challenge_file_url", "chat_file_url", "achievement_file_url"]
OWNER = {"challenge_file_url": "poster", "chat_file_url": "member", "achievement_file_url": "leader1"}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)


def download(cast, door: str, url: str):
    client = Client()
    client.force_login(getattr(cast, OWNER[door]))
    return client.get(url)


@pytest.mark.parametrize("door", DOORS)
def test_a_download_is_streamed_with_the_same_headers_everywhere(cast, request, door, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    response = download(cast, door, request.getfixturevalue(door))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "X-Accel-Redirect" not in response


@pytest.mark.parametrize("door", DOORS)
def test_behind_nginx_the_file_is_handed_over_after_the_check(cast, request, door, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    response = download(cast, door, request.getfixturevalue(door))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/_protected/")
    assert response["X-Accel-Redirect"].endswith(".pdf")
    assert response.content == b""
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_refused_download_names_no_file(cast, request, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    client = Client()
    client.force_login(cast.outsider)
    response = client.get(request.getfixturevalue("chat_file_url"))
    assert response.status_code in {403, 404}
    assert "X-Accel-Redirect" not in response
