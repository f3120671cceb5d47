"""A finished media file is served by its owner's view with HTTP ranges (media_response): 200 with
Accept-Ranges, 206 for one range (closed, open, suffix), 416 past the end, If-Range and ETag, the
stored type, an inline disposition with the clean name, private and never cached, streamed in
blocks; behind nginx, an X-Accel-Redirect instead of the bytes."""

from __future__ import annotations

import asyncio

import pytest
from django.test import AsyncClient, override_settings

from platform_core.media import serving
from platform_core.media.models import MediaFile
from tests.conftest import as_user
from tests.media.conftest import VTT, upload_whole, video_bytes

pytestmark = pytest.mark.urls("tests.media.owner")

SIZE = 3000


@pytest.fixture
def video(api, cast):
    as_user(api, cast.member)
    content = video_bytes(SIZE)
    done = upload_whole(api, content, name="第一课.webm")
    return MediaFile.objects.get(pk=done["id"]), content


def url(media: MediaFile) -> str:
    return f"/media-owner/files/{media.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_whole_file_with_its_headers(client, cast, video):
    media, content = video
    client.force_login(cast.leader1)
    response = client.get(url(media))
    assert response.status_code == 200
    assert body(response) == content
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E7%AC%AC%E4%B8%80%E8%AF%BE.webm"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["ETag"] == f'"{media.pk.hex}-{SIZE}"'
    assert response["Last-Modified"]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=2500-", 2500, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=2900-99999", 2900, SIZE - 1),
        ("bytes=-99999", 0, SIZE - 1),
        ("bytes=0-0", 0, 0),
    ],
)
def test_one_range_is_a_206_with_exactly_its_bytes(client, cast, video, header, first, last):
    media, content = video
    client.force_login(cast.member)
    response = client.get(url(media), HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == content[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize("header", ["bytes=3000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_past_the_end_is_a_416(client, cast, video, header):
    media, _content = video
    client.force_login(cast.member)
    response = client.get(url(media), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "bytes=9-2", "items=0-5", "bytes=abc", "bytes=-", "bytes=" + "9" * 30 + "-"]
)
def test_a_range_that_is_not_one_plain_byte_range_gets_the_whole_file(client, cast, video, header):
    media, content = video
    client.force_login(cast.member)
    response = client.get(url(media), HTTP_RANGE=header)
    assert response.status_code == 200 and body(response) == content


def test_if_range_with_another_version_gets_the_whole_file(client, cast, video):
    media, content = video
    client.force_login(cast.member)
    etag = f'"{media.pk.hex}-{SIZE}"'
    same = client.get(url(media), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and body(same) == content[:10]
    other = client.get(url(media), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"elsewhere"')
    assert other.status_code == 200 and body(other) == content
    weak = client.get(url(media), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f"W/{etag}")
    assert weak.status_code == 200
    dated = client.get(url(media), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=same["Last-Modified"])
    assert dated.status_code == 206
    old = client.get(url(media), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE="Tue, 01 Jan 2019 00:00:00 GMT")
    assert old.status_code == 200


def test_if_none_match_with_its_etag_is_a_304(client, cast, video):
    media, _content = video
    client.force_login(cast.member)
    response = client.get(url(media), HTTP_IF_NONE_MATCH=f'"{media.pk.hex}-{SIZE}"')
    assert response.status_code == 304


def test_head_says_the_length_and_sends_nothing(client, cast, video):
    media, _content = video
    client.force_login(cast.member)
    whole = client.head(url(media))
    assert whole.status_code == 200 and whole["Content-Length"] == str(SIZE) and not whole.content
    part = client.head(url(media), HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Length"] == "10"
    assert part["Content-Range"] == f"bytes 10-19/{SIZE}"


def test_the_body_is_read_in_blocks(client, cast, video, monkeypatch):
    media, content = video
    monkeypatch.setattr(serving, "BLOCK_BYTES", 512)
    client.force_login(cast.member)
    response = client.get(url(media), HTTP_RANGE="bytes=100-2099")
    parts = list(response.streaming_content)
    assert max(len(part) for part in parts) == 512 and len(parts) == 4
    assert b"".join(parts) == content[100:2100]


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_body_is_an_async_stream_of_blocks(tcast, monkeypatch, settings):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(tcast.member)
    content = video_bytes(SIZE)
    done = upload_whole(api, content)
    media = MediaFile.objects.get(pk=done["id"])
    monkeypatch.setattr(serving, "BLOCK_BYTES", 1000)

    async def fetch():
        client = AsyncClient()
        await client.aforce_login(tcast.member)
        return await client.get(url(media), headers={"Range": "bytes=500-"})

    response = asyncio.run(fetch())
    assert response.status_code == 206 and response.is_async

    async def collect():
        return [part async for part in response.streaming_content]

    parts = asyncio.run(collect())
    assert [len(part) for part in parts] == [1000, 1000, 500]
    assert b"".join(parts) == content[500:]


def test_behind_nginx_the_answer_is_an_accel_redirect(client, cast, video):
    media, _content = video
    client.force_login(cast.member)
    with override_settings(MEDIA_ACCEL_REDIRECT="/_media/"):
        response = client.get(url(media), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_media/media/{media.pk.hex[:2]}/{media.pk.hex}"
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"


def test_captions_are_utf8_text_vtt(api, client, cast):
    as_user(api, cast.member)
    done = upload_whole(api, VTT, kind="captions", name="字幕.vtt", content_type="text/vtt")
    client.force_login(cast.member)
    response = client.get(f"/media-owner/files/{done['id']}/")
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert body(response) == VTT


def test_an_unfinished_file_is_not_served(api, client, cast):
    as_user(api, cast.member)
    opened = api.post(
        "/api/v1/media/uploads/", {"kind": "video", "name": "a.webm", "size": 100}, format="json"
    ).json()
    client.force_login(cast.member)
    assert client.get(f"/media-owner/files/{opened['id']}/").status_code == 404


def test_the_owner_view_checks_access_first(client, cast, video):
    media, _content = video
    response = client.get(url(media))
    assert response.status_code == 302 and "/login/" in response["Location"]
