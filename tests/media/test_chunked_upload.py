"""Resumable chunked uploads of audio, video and captions (issue 17: "Video and audio are large"):
the protocol, the refusals, who may do what, and that no chunk is ever held whole in memory."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest
from django.test import override_settings
from django.utils import translation

from platform_core.audit.models import AuditEntry
from platform_core.media import services
from platform_core.media.models import MediaFile
from tests.conftest import as_user
from tests.media.conftest import HTML, MP3, MP4, PE, VTT, WAV, send, start, upload_whole, video_bytes

MB = 1024 * 1024


def stored(media: MediaFile) -> bytes:
    with media.file.storage.open(media.file.name, "rb") as file:
        return file.read()


# --- the protocol ------------------------------------------------------------------------------


def test_a_video_arrives_in_several_chunks_and_is_ready(api, cast):
    as_user(api, cast.member)
    content = video_bytes(3500)
    done = upload_whole(api, content, chunk=1000)
    assert done["status"] == 200 and done["state"] == "ready", done
    media = MediaFile.objects.get(pk=done["id"])
    assert media.uploaded_by == cast.member and media.kind == "video"
    assert media.content_type == "video/webm" and media.name == "课程.webm"
    assert media.received == media.size == 3500 and media.completed_at is not None
    assert stored(media) == content
    assert AuditEntry.objects.filter(action="media.uploaded", target_id=str(media.pk)).exists()


def test_opening_an_upload_says_where_to_send_and_how_much_at_once(api, cast, settings):
    as_user(api, cast.member)
    response = start(api, size=5000)
    assert response.status_code == 201
    upload = response.json()
    assert upload["offset"] == 0 and upload["state"] == "uploading"
    assert upload["chunk_size"] == settings.MEDIA_CHUNK_BYTES
    assert response["Location"] == upload["url"] == f"/api/v1/media/uploads/{upload['id']}/"
    assert upload["chunk_url"].endswith("/chunks/") and upload["complete_url"].endswith("/complete/")


def test_a_chunk_out_of_order_is_a_409_naming_the_offset_to_go_on_from(api, cast):
    as_user(api, cast.member)
    content = video_bytes(3000)
    upload = start(api, size=3000).json()
    assert send(api, upload, 0, content[:1000]).status_code == 204
    skipped = send(api, upload, 2000, content[2000:])
    assert skipped.status_code == 409
    assert skipped.json()["offset"] == 1000 and skipped["Upload-Offset"] == "1000"
    # A chunk sent twice (its answer was lost): the same.
    again = send(api, upload, 0, content[:1000])
    assert again.status_code == 409 and again.json()["offset"] == 1000
    assert send(api, upload, 1000, content[1000:]).status_code == 204
    assert api.post(upload["complete_url"]).json()["state"] == "ready"
    assert stored(MediaFile.objects.get(pk=upload["id"])) == content


def test_an_interrupted_chunk_counts_what_arrived_and_the_upload_resumes_from_the_offset(api, cast):
    as_user(api, cast.member)
    content = video_bytes(4000)
    upload = start(api, size=4000).json()
    assert send(api, upload, 0, content[:1500]).status_code == 204
    # The connection drops mid-chunk: the server got 700 of the 1500 bytes the client meant to send.
    media = MediaFile.objects.get(pk=upload["id"])
    services.media_upload_append(
        actor=cast.member, media_id=media.pk, offset=1500, stream=io.BytesIO(content[1500:2200]), length=1500
    )
    # The client asks where to go on from (GET, or HEAD as tus does), and does.
    status = api.get(upload["url"])
    assert status.json()["offset"] == 2200 and status["Upload-Offset"] == "2200"
    assert api.head(upload["url"])["Upload-Offset"] == "2200"
    assert send(api, upload, 2200, content[2200:]).status_code == 204
    assert api.post(upload["complete_url"]).json()["state"] == "ready"
    assert stored(MediaFile.objects.get(pk=upload["id"])) == content


def test_bytes_a_failed_chunk_left_past_the_offset_are_overwritten(api, cast):
    as_user(api, cast.member)
    content = video_bytes(2000)
    upload = start(api, size=2000).json()
    send(api, upload, 0, content[:1000])
    media = MediaFile.objects.get(pk=upload["id"])
    # A chunk written to disk whose transaction then failed: bytes past `received`.
    with open(media.file.storage.path(media.file.name), "ab") as file:
        file.write(b"\xff" * 1000)
    assert send(api, upload, 1000, content[1000:]).status_code == 204
    api.post(upload["complete_url"])
    assert stored(MediaFile.objects.get(pk=upload["id"])) == content


def test_put_with_content_range_appends_as_well(api, cast):
    as_user(api, cast.member)
    content = video_bytes(1500)
    upload = start(api, size=1500).json()
    for first, last in ((0, 999), (1000, 1499)):
        response = api.generic(
            "PUT",
            upload["chunk_url"],
            content[first : last + 1],
            content_type="application/octet-stream",
            HTTP_CONTENT_RANGE=f"bytes {first}-{last}/1500",
        )
        assert response.status_code == 204, response.content
    wrong = api.generic(
        "PUT",
        upload["chunk_url"],
        b"x",
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE="bytes 0-9/1500",
    )
    assert wrong.status_code == 400
    assert api.post(upload["complete_url"]).json()["state"] == "ready"


def test_an_unfinished_upload_cannot_be_completed(api, cast):
    as_user(api, cast.member)
    upload = start(api, size=3000).json()
    send(api, upload, 0, video_bytes(3000)[:1000])
    with translation.override("en"):
        response = api.post(upload["complete_url"])
    assert response.status_code == 400
    assert "1000 of 3000 bytes" in response.json()["detail"]
    assert MediaFile.objects.get(pk=upload["id"]).state == "uploading"


def test_the_uploader_cancels_an_unfinished_upload_and_its_bytes_go(
    api, cast, django_capture_on_commit_callbacks
):
    as_user(api, cast.member)
    upload = start(api, size=3000).json()
    send(api, upload, 0, video_bytes(3000)[:1000])
    media = MediaFile.objects.get(pk=upload["id"])
    path = media.file.storage.path(media.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(upload["url"]).status_code == 204
    assert not MediaFile.objects.filter(pk=media.pk).exists()
    assert not os.path.exists(path)
    assert api.get(upload["url"]).status_code == 404


def test_a_finished_upload_is_not_cancelled(api, cast):
    as_user(api, cast.member)
    done = upload_whole(api, video_bytes(1200))
    assert api.delete(f"/api/v1/media/uploads/{done['id']}/").status_code == 400
    assert MediaFile.objects.filter(pk=done["id"], state="ready").exists()


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"kind": "video", "name": "setup.exe", "size": 100, "content_type": "application/x-msdownload"},
            "name",
        ),
        ({"kind": "video", "name": "课程.mp3", "size": 100, "content_type": "audio/mpeg"}, "name"),
        ({"kind": "captions", "name": "字幕.srt", "size": 100, "content_type": "text/plain"}, "name"),
        ({"kind": "video", "name": "课程.mp4", "size": 100, "content_type": "text/html"}, "name"),
        ({"kind": "video", "name": "...", "size": 100, "content_type": ""}, "name"),
        ({"kind": "video", "name": "课程.mp4", "size": 0, "content_type": "video/mp4"}, "size"),
        ({"kind": "picture", "name": "课程.mp4", "size": 100, "content_type": "video/mp4"}, "kind"),
    ],
)
def test_a_kind_size_or_name_it_does_not_take_is_refused_at_the_start(api, cast, fields, field):
    as_user(api, cast.member)
    response = api.post("/api/v1/media/uploads/", fields, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not MediaFile.objects.exists()


@pytest.mark.parametrize(
    ("kind", "name", "limit"),
    [("video", "大.mp4", 2048), ("audio", "大.mp3", 1024), ("captions", "大.vtt", 512)],
)
def test_each_kind_has_its_own_size_limit(api, cast, settings, kind, name, limit):
    settings.MEDIA_MAX_BYTES = {"video": 2048, "audio": 1024, "captions": 512}
    as_user(api, cast.member)
    assert start(api, kind=kind, name=name, size=limit, content_type="").status_code == 201
    with translation.override("en"):
        over = start(api, kind=kind, name=name, size=limit + 1, content_type="")
    assert over.status_code == 400
    assert over.json()["size"] == [
        f"Files up to {limit // 1024} KB are accepted."
        if limit >= 1024
        else "Files up to 512 B are accepted."
    ]


def test_the_quota_of_unfinished_uploads_and_of_all_files_holds(api, cast, settings):
    settings.MEDIA_UNFINISHED_QUOTA_BYTES = 5000
    settings.MEDIA_TOTAL_QUOTA_BYTES = 8000
    as_user(api, cast.member)
    assert start(api, size=3000).status_code == 201
    with translation.override("en"):
        refused = start(api, size=2001)
    assert refused.status_code == 400 and "unfinished uploads" in refused.json()["size"][0]
    assert start(api, size=2000).status_code == 201
    # Finished files count toward the whole quota.
    MediaFile.objects.filter(uploaded_by=cast.member).update(state="ready", received=F("size"))
    assert start(api, size=3001).status_code == 400
    # Someone else's files are theirs.
    as_user(api, cast.leader1)
    assert start(api, size=3000).status_code == 201


def test_a_chunk_over_its_limit_is_a_413_and_past_the_declared_size_a_400(api, cast, settings):
    settings.MEDIA_CHUNK_BYTES = 1000
    as_user(api, cast.member)
    upload = start(api, size=3000).json()
    assert send(api, upload, 0, video_bytes(1001)).status_code == 413
    upload_small = start(api, size=1500).json()
    assert send(api, upload_small, 0, video_bytes(1000)).status_code == 204
    assert send(api, upload_small, 1000, video_bytes(600)).status_code == 400
    assert MediaFile.objects.get(pk=upload_small["id"]).received == 1000


def test_a_chunk_needs_its_type_length_and_offset(api, cast):
    as_user(api, cast.member)
    upload = start(api, size=3000).json()
    chunk = video_bytes(100)
    assert (
        api.generic("PATCH", upload["chunk_url"], chunk, content_type="application/json").status_code == 415
    )
    missing = api.generic("PATCH", upload["chunk_url"], chunk, content_type="application/offset+octet-stream")
    assert missing.status_code == 400
    assert send(api, upload, 0, chunk, HTTP_UPLOAD_OFFSET="-5").status_code == 400
    assert send(api, upload, 0, chunk, HTTP_UPLOAD_OFFSET="9" * 40).status_code == 400
    assert MediaFile.objects.get(pk=upload["id"]).received == 0


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("video", "课程.mp4", PE),
        ("video", "课程.webm", HTML),
        ("video", "课程.mp4", video_bytes(500)),  # webm bytes named .mp4
        ("audio", "讲座.mp3", WAV + b"\0" * 100),
        ("audio", "讲座.wav", HTML),
        ("captions", "字幕.vtt", HTML),
        ("captions", "字幕.vtt", b"WEBVTTX\n"),
        ("captions", "字幕.vtt", b"WEBVTT\n\n" + b"\xff\xfe broken"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_at_completion_and_its_bytes_go(
    api, cast, kind, name, content, django_capture_on_commit_callbacks
):
    as_user(api, cast.member)
    upload = start(api, kind=kind, name=name, size=len(content), content_type="").json()
    assert send(api, upload, 0, content).status_code == 204
    media = MediaFile.objects.get(pk=upload["id"])
    path = media.file.storage.path(media.file.name)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = api.post(upload["complete_url"])
    assert response.status_code == 400
    assert response.json() == {"detail": "This kind of file is not accepted."}
    media.refresh_from_db()
    assert media.state == "failed"
    assert not os.path.exists(path)
    assert api.post(upload["complete_url"]).status_code == 400


@pytest.mark.parametrize(
    ("kind", "name", "content", "content_type"),
    [
        ("video", "课程.mp4", MP4 + b"\0" * 200, "video/mp4"),
        ("audio", "讲座.mp3", MP3 + b"\0" * 200, "audio/mpeg"),
        ("audio", "讲座.wav", WAV + b"\0" * 200, "audio/wav"),
        ("captions", "字幕.vtt", VTT, "text/vtt"),
        ("captions", "bom.vtt", b"\xef\xbb\xbf" + VTT, "text/vtt"),
    ],
)
def test_each_allowed_format_is_taken(api, cast, kind, name, content, content_type):
    as_user(api, cast.member)
    done = upload_whole(api, content, kind=kind, name=name, content_type="")
    assert done["status"] == 200 and done["content_type"] == content_type


def test_a_hostile_name_is_cleaned(api, cast):
    as_user(api, cast.member)
    done = upload_whole(api, video_bytes(1200), name="../../etc/\u202e\x00课程\u200b.webm")
    assert done["name"] == "课程.webm"
    media = MediaFile.objects.get(pk=done["id"])
    assert media.file.name == f"media/{media.pk.hex[:2]}/{media.pk.hex}"


# --- who ---------------------------------------------------------------------------------------


def test_only_the_uploader_reaches_an_upload(api, cast):
    as_user(api, cast.member)
    content = video_bytes(2000)
    upload = start(api, size=2000).json()
    send(api, upload, 0, content[:1000])
    for other in (cast.leader1, cast.superadmin, cast.admin):
        as_user(api, other)
        assert api.get(upload["url"]).status_code == 404
        assert send(api, upload, 1000, content[1000:]).status_code == 404
        assert api.post(upload["complete_url"]).status_code == 404
        assert api.delete(upload["url"]).status_code == 404
    assert MediaFile.objects.get(pk=upload["id"]).received == 1000


def test_anonymous_callers_cannot_upload(api, cast):
    assert start(api, size=100).status_code == 403
    assert not MediaFile.objects.exists()


def test_a_deactivated_uploader_can_neither_start_nor_go_on(api, cast):
    as_user(api, cast.member)
    upload = start(api, size=2000).json()
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.media_upload_start(actor=cast.member, kind="video", name="x.webm", size=10)
    with pytest.raises(MediaFile.DoesNotExist):
        services.media_upload_append(
            actor=cast.member, media_id=upload["id"], offset=0, stream=io.BytesIO(b"x"), length=1
        )


def test_a_token_client_uploads_and_a_session_client_needs_its_csrf_token(cast, client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=cast.member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    done = upload_whole(api, video_bytes(1500))
    assert done["state"] == "ready"
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(cast.member)
    assert start(session, size=100).status_code == 403
    upload = start(api, size=100).json()
    assert send(session, upload, 0, video_bytes(100)).status_code == 403
    assert MediaFile.objects.get(pk=upload["id"]).received == 0


# --- never whole in memory ---------------------------------------------------------------------


class GeneratedStream:
    """A request body produced as it is read, never whole: `read(n)` makes n bytes."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.largest_read = 0

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        self.largest_read = max(self.largest_read, size)
        self.left -= size
        return b"\x1a" * size


@override_settings(MEDIA_CHUNK_BYTES=8 * MB)
def test_a_20_mb_upload_is_copied_in_blocks_with_little_memory(cast):
    media = services.media_upload_start(actor=cast.member, kind="video", name="大课.webm", size=20 * MB)
    tracemalloc.start()
    try:
        offset = 0
        streams = []
        while offset < 20 * MB:
            length = min(8 * MB, 20 * MB - offset)
            stream = GeneratedStream(length)
            streams.append(stream)
            media = services.media_upload_append(
                actor=cast.member, media_id=media.pk, offset=offset, stream=stream, length=length
            )
            offset = media.received
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert media.received == 20 * MB
    assert max(stream.largest_read for stream in streams) <= 64 * 1024
    assert peak < 2 * MB, peak


def test_the_chunk_view_never_reads_the_request_body_whole(api, cast, monkeypatch):
    as_user(api, cast.member)
    content = video_bytes(300 * 1024)
    upload = start(api, size=len(content)).json()

    def refuse(self):
        raise AssertionError("request.body was read")

    monkeypatch.setattr(HttpRequest, "body", property(refuse))
    reads: list[int] = []
    original = HttpRequest.read

    def counting_read(self, *args, **kwargs):
        reads.append(args[0] if args else -1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HttpRequest, "read", counting_read)
    assert send(api, upload, 0, content).status_code == 204
    assert reads and all(0 < size <= 64 * 1024 for size in reads), reads
    assert stored(MediaFile.objects.get(pk=upload["id"])) == content


# --- the server's own files, and the body limit ------------------------------------------------


def test_a_file_from_the_server_side_goes_through_the_same_checks(cast, settings):
    from platform_core.media.samples import SAMPLE_VIDEO

    settings.MEDIA_CHUNK_BYTES = 4096
    with SAMPLE_VIDEO.open("rb") as source:
        media = services.media_store(
            actor=cast.member,
            kind="video",
            name="第一课.webm",
            source=source,
            size=SAMPLE_VIDEO.stat().st_size,
        )
    assert media.state == "ready" and stored(media) == SAMPLE_VIDEO.read_bytes()
    with pytest.raises(ValidationError):
        services.media_store(
            actor=cast.member, kind="video", name="假.webm", source=io.BytesIO(HTML), size=len(HTML)
        )


def test_the_chunk_view_alone_admits_a_chunk_over_the_default_body_limit(settings):
    from platform_core.uploads import body_limit_for

    settings.MEDIA_CHUNK_BYTES = 8 * MB
    chunks = "/api/v1/media/uploads/0f0e0d0c-0b0a-4908-8706-050403020100/chunks/"
    assert body_limit_for(chunks, 6 * MB) == 8 * MB
    for path in (
        "/api/v1/media/uploads/",
        "/api/v1/media/uploads/0f0e0d0c-0b0a-4908-8706-050403020100/",
        "/api/v1/media/uploads/0f0e0d0c-0b0a-4908-8706-050403020100/complete/",
    ):
        assert body_limit_for(path, 6 * MB) == settings.MAX_REQUEST_BODY_BYTES


async def test_the_body_limit_admits_a_chunk_on_the_chunk_view_only():
    from asgiref.testing import ApplicationCommunicator
    from django.conf import settings

    from platform_core.body_limit import RequestBodyLimit
    from tests.platform.test_body_limit import BodyReader, http_scope

    size = settings.MAX_REQUEST_BODY_BYTES + MB
    assert size <= settings.MEDIA_CHUNK_BYTES
    upload = "/api/v1/media/uploads/0f0e0d0c-0b0a-4908-8706-050403020100/"
    for path, status in ((f"{upload}chunks/", 200), (upload, 413), ("/api/v1/media/uploads/", 413)):
        communicator = ApplicationCommunicator(RequestBodyLimit(BodyReader()), http_scope(path, size))
        await communicator.send_input({"type": "http.request", "body": b"x" * size})
        start = await communicator.receive_output(5)
        assert start["status"] == status, path
    over = ApplicationCommunicator(
        RequestBodyLimit(BodyReader()), http_scope(f"{upload}chunks/", settings.MEDIA_CHUNK_BYTES + 1)
    )
    await over.send_input({"type": "http.request", "body": b""})
    assert (await over.receive_output(5))["status"] == 413
