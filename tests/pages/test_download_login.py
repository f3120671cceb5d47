"""An anonymous visitor following a download link from a page (a challenge, bid or milestone file,
a chat file, an achievement's file) is sent to the login page and back; a logged-in user without
access keeps the refusal; API clients keep their JSON 403."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliances.services import rooms
from challenges.services import attachments
from showcase.models import AchievementFile
from showcase.services import achievements
from tests.alliances.conftest import make_team
from tests.challenges.conftest import make_world
from tests.showcase.conftest import make_achievement

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)


def pdf(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302, response.content[:200]
    assert response["Location"] == f"{reverse('accounts:login')}?next={quote(url, safe='/')}"


@pytest.fixture
def challenge_file_url(cast):
    challenge = make_world(cast).draft()
    stored = attachments.attachment_add(actor=cast.poster, upload=pdf(), challenge=challenge)
    return reverse("api-challenge-attachment", args=[stored.pk])


@pytest.fixture
def chat_file_url(cast):
    room = make_team(cast).room
    stored = rooms.attachment_upload(actor=cast.member, room=room, upload=pdf())
    return reverse("api-room-attachment-download", args=[room.pk, stored.pk])


@pytest.fixture
def achievement_file_url(cast):
    draft = make_achievement(cast, publish=False, title="草稿成果")
    stored = achievements.achievement_file_add(
        actor=cast.leader1, achievement=draft, upload=pdf(), kind=AchievementFile.Kind.ATTACHMENT
    )
    return reverse("showcase:file", args=[draft.pk, stored.pk])


@pytest.mark.parametrize("link", ["challenge_file_url", "chat_file_url", "achievement_file_url"])
def test_an_anonymous_visitor_following_a_file_link_is_sent_to_log_in(client, cast, request, link):
    url = request.getfixturevalue(link)
    assert_sent_to_login(client.get(url, **BROWSER), url)


@pytest.mark.parametrize("link", ["challenge_file_url", "chat_file_url", "achievement_file_url"])
def test_a_logged_in_user_without_access_keeps_the_refusal(client, cast, request, link):
    url = request.getfixturevalue(link)
    client.force_login(cast.outsider)
    assert client.get(url, **BROWSER).status_code in (403, 404)


@pytest.mark.parametrize("link", ["challenge_file_url", "chat_file_url"])
def test_an_api_client_without_credentials_keeps_its_json_403(client, cast, request, link):
    response = client.get(request.getfixturevalue(link), HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
