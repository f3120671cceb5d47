"""Achievement images and attachments through the API: the services and rules of the pages
(owner's lead adds, lead or an admin over the unit removes, pictures re-encoded, limits), and
downloads checked on every read (a draft's files are never reachable anonymously)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from showcase.models import AchievementFile
from showcase.services import achievements
from tests.cast import ROLES

from .test_api import client_for

pytestmark = pytest.mark.django_db


def png(name: str = "现场.png") -> SimpleUploadedFile:
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    return SimpleUploadedFile(name, picture.getvalue(), content_type="image/png")


def files_url(achievement) -> str:
    return f"/api/v1/achievements/{achievement.pk}/files/"


def upload(client: APIClient, achievement, kind: str, upload_file):
    return client.post(files_url(achievement), {"kind": kind, "file": upload_file}, format="multipart")


def stored_image(cast, achievement) -> AchievementFile:
    return achievements.achievement_file_add(
        actor=cast.leader1, achievement=achievement, upload=png(), kind=AchievementFile.Kind.IMAGE
    )


def test_the_lead_adds_an_image_and_an_attachment_listed_in_the_detail(cast, draft):
    leader = client_for(cast.leader1)
    image = upload(leader, draft, "image", png())
    assert image.status_code == 201, image.content
    # Re-encoded: stored as a fresh JPEG whatever it was sent as.
    assert image.json()["name"] == "现场.jpg"
    report = SimpleUploadedFile("测试报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    assert upload(leader, draft, "attachment", report).status_code == 201
    detail = leader.get(f"/api/v1/achievements/{draft.pk}/").json()
    assert [(f["kind"], f["name"]) for f in detail["files"]] == [
        ("attachment", "测试报告.pdf"),
        ("image", "现场.jpg"),
    ]
    picture = leader.get(image.json()["url"])
    assert picture.status_code == 200
    assert picture["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).format == "JPEG"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_add_a_file_to_a_draft(cast, draft, role):
    status = upload(client_for(getattr(cast, role)), draft, "image", png()).status_code
    # Only the owner's lead adds; those who see the draft without leading it are refused, and
    # to everyone else the draft does not exist.
    expected = {"leader1": 201, "superadmin": 403, "admin": 403, "member": 403}.get(role, 404)
    assert status == expected
    assert draft.files.count() == (1 if role == "leader1" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_remove_a_file_from_a_draft(cast, draft, role):
    stored = stored_image(cast, draft)
    response = client_for(getattr(cast, role)).delete(f"{files_url(draft)}{stored.pk}/")
    # The lead, or an admin over unit A (and the superuser); the member sees but may not remove.
    expected = {"leader1": 204, "superadmin": 204, "admin": 204, "member": 403}.get(role, 404)
    assert response.status_code == expected
    assert draft.files.exists() == (expected != 204)


def test_a_removed_file_leaves_the_storage(cast, draft, django_capture_on_commit_callbacks):
    stored = stored_image(cast, draft)
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.leader1).delete(f"{files_url(draft)}{stored.pk}/")
    assert response.status_code == 204
    assert not storage.exists(name)


def test_an_anonymous_visitor_reads_a_published_image_but_never_a_drafts(cast, draft, published):
    anonymous = APIClient()
    hidden = stored_image(cast, draft)
    assert anonymous.get(f"{files_url(draft)}{hidden.pk}/").status_code == 404
    assert client_for(cast.member).get(f"{files_url(draft)}{hidden.pk}/").status_code == 200
    shown = stored_image(cast, published)
    assert anonymous.get(f"{files_url(published)}{shown.pk}/").status_code == 200
    # A file is only reached through its own achievement.
    assert anonymous.get(f"{files_url(published)}{hidden.pk}/").status_code == 404
    assert anonymous.delete(f"{files_url(published)}{shown.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("kind", "upload_file"),
    [
        ("image", SimpleUploadedFile("页面.png", b"<html><body>hi</body></html>", content_type="image/png")),
        ("attachment", SimpleUploadedFile("setup.exe", b"MZ", content_type="application/x-dosexec")),
        ("video", SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")),
        ("image", ""),
    ],
    ids=["html-renamed-png", "exe-attachment", "unknown-kind", "no-file"],
)
def test_bad_files_are_refused_with_a_400(cast, draft, kind, upload_file):
    response = upload(client_for(cast.leader1), draft, kind, upload_file)
    assert response.status_code == 400, response.content
    assert not draft.files.exists()


def test_an_attachment_over_the_service_limit_is_a_400(cast, draft, monkeypatch):
    monkeypatch.setattr(
        achievements, "ACHIEVEMENT_FILE", dataclasses.replace(achievements.ACHIEVEMENT_FILE, max_bytes=10)
    )
    report = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 longer than ten bytes", content_type="application/pdf")
    response = upload(client_for(cast.leader1), draft, "attachment", report)
    assert response.status_code == 400
    assert "file" in response.json()
    assert not draft.files.exists()


async def test_an_upload_over_the_body_limit_is_a_json_413(settings):
    from platform_core.asgi import application
    from platform_core.uploads import ACHIEVEMENT_FILE, form_overhead_bytes

    settings.MAX_REQUEST_BODY_BYTES = 1000
    # An upload view admits its largest upload and the form around it; one byte more is refused.
    over = str(ACHIEVEMENT_FILE.max_bytes + form_overhead_bytes() + 1).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/achievements/1/files/",
        "headers": [(b"content-type", b"multipart/form-data; boundary=x"), (b"content-length", over)],
        "query_string": b"",
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"x" * 5000})
    start = await communicator.receive_output(2)
    assert start["status"] == 413
    assert (b"content-type", b"application/json") in [(k.lower(), v) for k, v in start["headers"]]


def test_the_schema_lists_the_file_endpoints_with_their_errors(client):
    from yaml import safe_load

    paths = safe_load(client.get("/api/schema/").content)["paths"]
    upload_operation = paths["/api/v1/achievements/{id}/files/"]["post"]
    assert "multipart/form-data" in upload_operation["requestBody"]["content"]
    assert {"201", "400", "403", "404", "413"} <= set(upload_operation["responses"])
    file_operations = paths["/api/v1/achievements/{id}/files/{file_id}/"]
    assert {"get", "delete"} <= set(file_operations)
    assert {"204", "403", "404"} <= set(file_operations["delete"]["responses"])


def test_the_page_removes_a_file_through_the_same_service(client, cast, draft):
    stored = stored_image(cast, draft)
    remove_url = reverse("showcase:file_remove", args=[draft.pk, stored.pk])
    client.force_login(cast.member)
    assert remove_url not in client.get(reverse("showcase:detail", args=[draft.pk])).content.decode()
    client.post(remove_url)
    assert draft.files.exists()
    client.force_login(cast.leader1)
    assert remove_url in client.get(reverse("showcase:detail", args=[draft.pk])).content.decode()
    client.post(remove_url)
    assert not draft.files.exists()
