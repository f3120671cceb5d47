"""In a real Chromium: a short video goes through the upload widget in chunks (one of them lost on
the way and resumed), with its captions; the owner's page then plays it in a <video> element,
reading it with range requests, and seeks in it. A file that is not what its name says is refused
beside its input."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from platform_core.media.models import MediaFile
from platform_core.media.samples import SAMPLE_VIDEO
from tests.browser.test_browser import chromium, expect  # noqa: F401  (fixture)
from tests.browser.test_challenges_browser import logged_in
from tests.media.conftest import HTML, VTT
from tests.servers import daphne

pytestmark = [pytest.mark.browser]

LESSON = SAMPLE_VIDEO
UUID = re.compile(r"^[0-9a-f-]{36}$")


@pytest.fixture
def media_root(tmp_path):
    return tmp_path / "private"


def play_and_seek(page) -> dict:
    return page.evaluate(
        """async () => {
            const video = document.querySelector("[data-owner-video]");
            video.muted = true;
            if (video.readyState < 1) {
                await new Promise((done) => video.addEventListener("loadedmetadata", done, { once: true }));
            }
            await video.play();
            await new Promise((done) => setTimeout(done, 300));
            video.pause();
            const seeked = new Promise((done) => video.addEventListener("seeked", done, { once: true }));
            video.currentTime = 2.2;
            await seeked;
            const track = video.textTracks[0];
            return {
                duration: video.duration,
                time: video.currentTime,
                error: video.error && video.error.code,
                width: video.videoWidth,
                cues: track ? (track.mode = "showing", track.cues ? track.cues.length : -1) : -2,
            };
        }"""
    )


def test_a_video_uploads_in_chunks_resumes_plays_and_seeks(tcast, chromium, media_root):  # noqa: F811
    lesson = LESSON.read_bytes()
    with daphne(
        DJANGO_SETTINGS_MODULE="tests.media.owner_settings",
        PRIVATE_MEDIA_ROOT=str(media_root),
        MEDIA_CHUNK_BYTES="4096",
    ) as base:
        page = logged_in(chromium, base, "member")
        page.goto(f"{base}/media-owner/")
        # The second chunk is lost on the way once: the widget asks the offset and goes on.
        lost = []

        def drop_once(route):
            if (
                route.request.method == "PATCH"
                and route.request.headers.get("upload-offset") == "4096"
                and not lost
            ):
                lost.append(route.request.url)
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route("**/api/v1/media/uploads/*/chunks/", drop_once)
        chunks = []
        page.on(
            "request", lambda request: chunks.append(request) if request.url.endswith("/chunks/") else None
        )
        page.locator("[name=title]").fill("第一课：安全操作")
        page.locator("#id_video").set_input_files(
            {"name": "第一课.webm", "mimeType": "video/webm", "buffer": lesson}
        )
        hidden = page.locator("input[name=video]")
        expect(hidden).to_have_value(UUID, timeout=30_000)
        bar = page.locator("#id_video ~ [data-media-progress] [role=progressbar]")
        expect(bar).to_have_attribute("aria-valuenow", "100")
        assert lost, "the chunk at 4096 was dropped once"
        assert len(chunks) >= len(lesson) // 4096 + 1
        page.locator("#id_captions").set_input_files(
            {"name": "字幕.vtt", "mimeType": "text/vtt", "buffer": VTT}
        )
        expect(page.locator("input[name=captions]")).to_have_value(UUID, timeout=30_000)

        media = MediaFile.objects.get(pk=hidden.input_value())
        assert media.state == "ready" and media.size == len(lesson) and media.uploaded_by == tcast.member
        assert (media_root / media.file.name).read_bytes() == lesson

        ranges = []
        page.on(
            "response",
            lambda response: (
                ranges.append((response.status, response.request.headers.get("range")))
                if "/media-owner/files/" in response.url
                else None
            ),
        )
        page.locator("[data-owner-form] [type=submit]").click()
        expect(page.locator("[data-owner-saved]")).to_have_text("第一课：安全操作")
        played = play_and_seek(page)
        assert played["error"] is None, played
        assert 2.9 <= played["duration"] <= 3.2, played
        assert abs(played["time"] - 2.2) < 0.15, played
        assert played["width"] == 96
        assert played["cues"] == 1
        assert any(status == 206 for status, _range in ranges), ranges


def test_a_file_that_is_not_a_video_is_refused_beside_its_input(tcast, chromium, media_root):  # noqa: F811
    with translation.override("zh-hans"):
        refused = translation.gettext("This kind of file is not accepted.")
    with daphne(
        DJANGO_SETTINGS_MODULE="tests.media.owner_settings", PRIVATE_MEDIA_ROOT=str(media_root)
    ) as base:
        page = logged_in(chromium, base, "member")
        page.goto(f"{base}/media-owner/")
        page.locator("#id_video").set_input_files(
            {"name": "病毒.webm", "mimeType": "video/webm", "buffer": HTML}
        )
        error = page.locator("#id_video ~ [data-media-error]")
        expect(error).to_be_visible()
        expect(error).to_contain_text(refused)
        assert page.locator("input[name=video]").input_value() == ""
        # A wrong extension is refused as the upload opens.
        page.locator("#id_video").set_input_files(
            {"name": "setup.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}
        )
        expect(error).to_contain_text(refused)
        assert not MediaFile.objects.filter(state="ready").exists()
