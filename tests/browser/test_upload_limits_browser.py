"""In a real Chromium, a file over its upload limit is refused beside its input before anything
is sent (uploads.js reads the limit the input carries from the upload policy); a file within it
goes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from platform_core.uploads import AVATAR
from tests.browser.test_browser import chromium, expect  # noqa: F401  (fixture)
from tests.browser.test_challenges_browser import logged_in
from tests.servers import daphne

pytestmark = [pytest.mark.browser]


def small_png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(picture, "PNG")
    return picture.getvalue()


def test_an_avatar_over_the_limit_is_refused_before_it_is_sent(tcast, chromium):  # noqa: F811
    with daphne() as base:
        page = logged_in(chromium, base, "member")
        page.goto(f"{base}/profile/edit/")
        avatar = page.locator("input[type=file][name=avatar]")
        assert avatar.get_attribute("data-max-bytes") == str(AVATAR.max_bytes)
        sent = []
        page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
        too_large = {
            "name": "大头像.png",
            "mimeType": "image/png",
            "buffer": b"\x89PNG" + b"0" * AVATAR.max_bytes,
        }
        avatar.set_input_files(too_large)
        message = page.locator("[data-upload-error]")
        expect(message).to_have_text(AVATAR.too_large_message())
        page.locator("form:has([name=avatar]) [type=submit]").click()
        page.wait_for_timeout(500)
        assert not any(url.endswith("/profile/edit/") for url in sent)
        # A picture within the limit clears the message and goes.
        avatar.set_input_files({"name": "头像.png", "mimeType": "image/png", "buffer": small_png()})
        expect(message).to_be_hidden()
        page.locator("form:has([name=avatar]) [type=submit]").click()
        page.wait_for_url(f"{base}/profile/")
        tcast.member.refresh_from_db()
        assert tcast.member.avatar
