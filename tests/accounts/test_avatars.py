"""Avatars are decoded and encoded afresh: content checked, metadata dropped, old files deleted."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from platform_core.accounts.services import user_profile_update


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(fmt: str = "PNG", size=(800, 600), mode="RGB", colour=(0, 128, 128), **save_options) -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, colour).save(output, fmt, **save_options)
    return output.getvalue()


def png_with_metadata() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret location")
    return picture("PNG", pnginfo=info)


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPSInfo
    return picture("JPEG", exif=exif.tobytes())


def header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header announces a huge picture; the pixels are never there."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def upload(content: bytes, name: str = "me.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def set_avatar(user, content: bytes, name: str = "me.png") -> None:
    user.avatar = upload(content, name)
    user_profile_update(user=user, changed_fields=["avatar"])
    user.refresh_from_db()


def stored_picture(user) -> Image.Image:
    with user.avatar.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_a_png_is_stored_re_encoded_smaller_and_without_its_text_chunks(cast):
    set_avatar(cast.member, png_with_metadata())
    image = stored_picture(cast.member)
    assert image.format == "JPEG"  # no transparency: a photo format
    assert max(image.size) == 512
    assert b"secret" not in cast.member.avatar.open("rb").read()


def test_a_jpeg_loses_its_exif_and_gps(cast):
    set_avatar(cast.member, jpeg_with_exif(), "me.jpg")
    image = stored_picture(cast.member)
    assert not image.getexif()
    assert b"secret" not in cast.member.avatar.open("rb").read()


def test_transparency_is_kept_as_png(cast):
    set_avatar(cast.member, picture("WEBP", mode="RGBA", size=(64, 64), colour=(0, 128, 128, 100)), "me.webp")
    image = stored_picture(cast.member)
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (64, 64))


NOT_PICTURES = {
    "html": b"<!doctype html><script>alert(1)</script>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "png signature then junk": b"\x89PNG\r\n\x1a\n" + b"0" * 100,
    "truncated png": picture()[:200],
    "gif": picture("GIF"),
    "too many pixels": header_claiming(10_000, 5_000),
}


@pytest.mark.parametrize("content", NOT_PICTURES.values(), ids=NOT_PICTURES.keys())
def test_the_service_refuses_anything_but_a_picture(cast, content):
    cast.member.avatar = upload(content)
    with pytest.raises(ValidationError):
        user_profile_update(user=cast.member, changed_fields=["avatar"])
    cast.member.refresh_from_db()
    assert not cast.member.avatar
    assert not default_storage.exists("avatars")


@pytest.mark.parametrize("content", NOT_PICTURES.values(), ids=NOT_PICTURES.keys())
def test_the_profile_form_reports_a_file_that_is_no_picture(cast, content):
    client = Client()
    client.force_login(cast.member)
    data = {"display_name": "M", "job_title": "", "phone": "", "email": "", "birth_year": ""}
    response = client.post("/profile/edit/", {**data, "avatar": upload(content)})
    assert response.status_code == 400
    assert "avatar" in response.context["form"].errors


def test_a_replaced_or_cleared_avatar_is_deleted_once_committed(cast, django_capture_on_commit_callbacks):
    set_avatar(cast.member, picture())
    first = cast.member.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        set_avatar(cast.member, picture(size=(100, 100)))
    second = cast.member.avatar.name
    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)

    client = Client()
    client.force_login(cast.member)
    data = {"display_name": "M", "job_title": "", "phone": "", "email": "", "birth_year": ""}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/profile/edit/", {**data, "avatar-clear": "on"}).status_code == 302
    cast.member.refresh_from_db()
    assert not cast.member.avatar
    assert not default_storage.exists(second)
