"""Audio and video uploads: the storage in a temporary folder, and a client that uploads a file
in chunks through the API as the widget does."""

from __future__ import annotations

import pytest

from platform_core.media.models import MediaFile
from platform_core.private_storage import PrivateStorage

# A few bytes of each format, with its signature (the sniffing reads the start of a file).
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\n第一句字幕\n".encode()
HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
PE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path, monkeypatch):
    """Media files go to a temporary private root (the field's storage is fixed when models load)."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ACCEL_REDIRECT = ""
    monkeypatch.setattr(MediaFile._meta.get_field("file"), "storage", PrivateStorage())
    return tmp_path / "private"


def video_bytes(size: int, head: bytes = WEBM) -> bytes:
    """A file of `size` bytes starting with a format's signature, the rest a pattern that shows
    a byte out of place."""
    body = bytes(index % 251 for index in range(size - len(head)))
    return head + body


def start(api, *, kind: str = "video", name: str = "课程.webm", size: int, content_type: str = "video/webm"):
    return api.post(
        "/api/v1/media/uploads/",
        {"kind": kind, "name": name, "size": size, "content_type": content_type},
        format="json",
    )


def send(api, upload: dict, offset: int, chunk: bytes, **headers):
    headers.setdefault("HTTP_UPLOAD_OFFSET", str(offset))
    return api.generic(
        "PATCH", upload["chunk_url"], chunk, content_type="application/offset+octet-stream", **headers
    )


def upload_whole(api, content: bytes, *, chunk: int = 1000, **fields) -> dict:
    """Open, send in chunks, complete: the finished upload's JSON (or the refusal's)."""
    opened = start(api, size=len(content), **fields)
    assert opened.status_code == 201, opened.json()
    upload = opened.json()
    for offset in range(0, len(content), chunk):
        answer = send(api, upload, offset, content[offset : offset + chunk])
        assert answer.status_code == 204, answer.content
    done = api.post(upload["complete_url"])
    return {"status": done.status_code, **done.json()}


@pytest.fixture
def api(api):
    """The API client, asking for English answers (the API negotiates with Accept-Language)."""
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api
