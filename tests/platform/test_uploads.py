"""One upload policy (platform_core/uploads.py): the limits the pages state are the limits the
server enforces, whoever receives the file (form, service, API, body limit), and a refused upload
gets the page's own message or the platform's own 413 page (JSON on the API)."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.testing import HttpCommunicator
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from rest_framework.authtoken.models import Token

from alliances.models import Attachment as ChatAttachment
from frontend import challenge_forms
from frontend.forms import ProfileForm
from platform_core.asgi import application
from platform_core.body_limit import RequestBodyLimit
from platform_core.uploads import (
    AVATAR,
    CHAT_ATTACHMENT,
    UPLOAD_VIEWS,
    body_limit_for,
    form_overhead_bytes,
)
from tests.alliances.conftest import make_team
from tests.platform.test_body_limit import BodyReader, generated, http_scope, post
from tests.servers import daphne

MB = 1024 * 1024
TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def view_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= view_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


# --- the policy is read by every page that takes a file ---------------------------------------


def test_every_upload_view_the_policy_names_exists():
    assert set(UPLOAD_VIEWS) <= view_names()


def views_by_name(resolver: URLResolver | None = None, prefix: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from views_by_name(
                pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, pattern.callback


def test_every_view_that_reads_files_is_an_upload_view_of_the_policy():
    readers = set()
    for name, callback in views_by_name():
        if name.startswith("admin:"):
            continue  # the admin site's generic views: staff uploads stay within the default limit
        view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "request.FILES" in source or "MultiPartParser" in source:
            readers.add(name)
    assert readers, "the chat, the challenges and the showcase take files"
    # Elsewhere a body over MAX_REQUEST_BODY_BYTES is refused before the view runs.
    assert readers <= set(UPLOAD_VIEWS), readers - set(UPLOAD_VIEWS)


def test_every_file_input_written_in_a_template_carries_its_limit():
    inputs = [
        (path.name, tag)
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r"<input[^>]*type=\"file\"[^>]*>", path.read_text())
    ]
    assert inputs, "the chat, the milestones and the showcase write file inputs"
    for name, tag in inputs:
        assert "{% upload_attrs" in tag, (name, tag)


def test_every_form_file_field_carries_its_limit_and_states_it(cast):
    # The help text is read in English (the catalogue renders it in Chinese otherwise).
    with translation.override("en"):
        forms = [
            challenge_forms.AttachmentForm(),
            challenge_forms.EvidenceForm(),
            challenge_forms.BidForm(),
            challenge_forms.ProblemForm(units=None),
            ProfileForm(instance=cast.member),
        ]
        for form in forms:
            files = [field for field in form if getattr(field.field.widget, "input_type", None) == "file"]
            assert files, form
            for field in files:
                html = str(field)
                assert re.search(r'data-max-bytes="\d+"', html), (form, html)
                assert "data-too-large=" in html and "accept=" in html
                assert " MB each." in str(field.help_text)


def test_a_template_file_input_states_the_chat_limit():
    html = Template('{% load upload_tags %}<input type="file" {% upload_attrs "chat_attachment" %}>').render(
        Context()
    )
    assert f'data-max-bytes="{CHAT_ATTACHMENT.max_bytes}"' in html
    assert ".gif" in html and "10 MB" in html


# --- a file over its limit: the page's own message, nothing stored -----------------------------


def test_an_avatar_over_its_limit_is_refused_beside_the_field_and_nothing_stored(client, cast, private_media):
    client.force_login(cast.member)
    picture = SimpleUploadedFile("头像.png", b"\x89PNG" + b"0" * AVATAR.max_bytes, content_type="image/png")
    response = client.post("/profile/edit/", {"display_name": "成员", "avatar": picture})
    assert response.status_code == 400
    assert AVATAR.too_large_message() in response.content.decode()
    cast.member.refresh_from_db()
    assert not cast.member.avatar
    assert stored_files(private_media) == []


def test_a_chat_file_over_its_limit_is_refused_by_the_api_and_nothing_stored(api, cast, private_media):
    room = make_team(cast).room
    api.force_authenticate(cast.member)
    big = SimpleUploadedFile("记录.pdf", b"%PDF" + b"0" * CHAT_ATTACHMENT.max_bytes)
    response = api.post(f"/api/v1/rooms/{room.pk}/attachments/", {"file": big}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": [CHAT_ATTACHMENT.too_large_message()]}
    assert not ChatAttachment.objects.exists()
    assert stored_files(private_media) == []


# --- the body limit follows the policy ---------------------------------------------------------


def test_upload_views_admit_their_largest_upload_and_the_form_and_nothing_else_does(db):
    assert body_limit_for("/api/v1/rooms/1/attachments/") == CHAT_ATTACHMENT.max_bytes + form_overhead_bytes()
    assert body_limit_for("/challenges/1/attachments/") == 20 * MB + form_overhead_bytes()
    for path in ("/login/", "/api/v1/auth/token/", "/api/v1/rooms/1/messages/", "/no-such-page/"):
        assert body_limit_for(path) == settings.MAX_REQUEST_BODY_BYTES


async def test_a_body_between_the_default_limit_and_the_uploads_is_admitted_on_an_upload_path():
    inner = BodyReader()
    size = settings.MAX_REQUEST_BODY_BYTES + MB
    scope = http_scope("/api/v1/rooms/1/attachments/", content_length=size)
    communicator = ApplicationCommunicator(RequestBodyLimit(inner), scope)
    await communicator.send_input({"type": "http.request", "body": b"x" * size})
    start = await communicator.receive_output(5)
    assert start["status"] == 200


async def test_a_streamed_body_past_the_default_limit_is_admitted_on_an_upload_path_only():
    for path, admitted in (("/api/v1/rooms/1/attachments/", True), ("/api/v1/me/", False)):
        inner = BodyReader()
        communicator = ApplicationCommunicator(RequestBodyLimit(inner), http_scope(path))
        for _ in range(5):
            await communicator.send_input({"type": "http.request", "body": b"x" * MB, "more_body": True})
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(5)
        assert start["status"] == (200 if admitted else 413), path


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/login/", b"text/html; charset=utf-8"), ("/api/v1/auth/token/", b"application/json")],
)
async def test_an_oversize_body_elsewhere_is_the_platforms_413(path, content_type):
    inner = BodyReader()
    size = settings.MAX_REQUEST_BODY_BYTES + 1
    communicator = ApplicationCommunicator(RequestBodyLimit(inner), http_scope(path, content_length=size))
    await communicator.send_input({"type": "http.request", "body": b"x" * size})
    start = await communicator.receive_output(2)
    body = (await communicator.receive_output(2))["body"]
    assert start["status"] == 413 and (b"content-type", content_type) in start["headers"]
    if path.startswith("/api/"):
        assert json.loads(body)["detail"]
    else:
        # The platform's own page: its stylesheet, the limit stated.
        assert b"frontend/site.css" in body and b'class="card narrow"' in body and b"4 MB" in body
    assert not inner.called


@pytest.mark.django_db(transaction=True)
async def test_a_five_megabyte_chat_file_is_stored_through_the_whole_stack(tcast, private_media):
    room = await sync_to_async(lambda: make_team(tcast).room)()
    token = await sync_to_async(Token.objects.create)(user=tcast.member)
    content = b"%PDF" + b"0" * (settings.MAX_REQUEST_BODY_BYTES + MB)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + content + b"\r\n--b--\r\n"
    )
    headers = [
        (b"host", b"testserver"),
        (b"authorization", f"Token {token.key}".encode()),
        (b"content-type", b"multipart/form-data; boundary=b"),
        (b"content-length", str(len(body)).encode()),
    ]
    communicator = HttpCommunicator(
        application,
        "POST",
        f"/api/v1/rooms/{room.pk}/attachments/",
        body=body,
        headers=headers,
    )
    response = await communicator.get_response(timeout=30)
    assert response["status"] == 201, response["body"][:300]
    stored = await sync_to_async(ChatAttachment.objects.get)()
    assert stored.size == len(content)


# --- the same through a real daphne (it reads the body before the application runs) -----------


@pytest.fixture
def server(tcast):
    with daphne() as base:
        yield base


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_daphne_admits_an_upload_path_its_uploads_and_refuses_the_rest_with_the_platforms_page(
    server, chunked
):
    size = settings.MAX_REQUEST_BODY_BYTES + MB
    length = None if chunked else size
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    # Admitted, then judged by the API: not logged in.
    status, _body = post(
        server, "/api/v1/rooms/1/attachments/", generated(size), length=length, headers=headers
    )
    assert status == 403
    status, body = post(server, "/login/", generated(size), length=length, headers=headers)
    assert status == 413 and b"frontend/site.css" in body
