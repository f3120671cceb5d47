"""The media field an owner app's form uses (platform_core/media/forms.py): the widget renders the
file input the script enhances, the hidden id, an accessible progress bar; the field takes only a
finished file of its kind that this user uploaded, or the one already attached; a refused form
keeps the id and shows the file's name."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from platform_core.media.models import MediaFile
from tests.conftest import as_user
from tests.media.conftest import VTT, start, upload_whole, video_bytes
from tests.media.owner import OwnerForm

pytestmark = pytest.mark.urls("tests.media.owner")


@pytest.fixture
def finished(api, cast):
    as_user(api, cast.member)
    return MediaFile.objects.get(pk=upload_whole(api, video_bytes(1500), name="操作法.webm")["id"])


def test_the_widget_renders_the_input_the_hidden_id_and_a_progress_bar(cast):
    with translation.override("en"):
        html = str(OwnerForm(user=cast.member)["video"])
        help_text = str(OwnerForm(user=cast.member)["video"].help_text)
    root = re.search(r"<div class=\"media-upload\"[^>]*>", html).group(0)
    assert "data-media-upload" in root and 'data-endpoint="/api/v1/media/uploads/"' in root
    assert 'data-kind="video"' in root
    file_input = re.search(r"<input type=\"file\"[^>]*>", html).group(0)
    assert 'id="id_video"' in file_input and "name=" not in file_input
    assert 'accept=".mp4,.m4v,.webm,.ogv,.ogg"' in file_input and 'data-max-bytes="2147483648"' in file_input
    assert re.search(r'<input type="hidden" name="video" value="" data-media-id>', html)
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html and "aria-labelledby" in html
    assert 'role="status"' in html and 'role="alert"' in html
    assert help_text == "MP4, WebM, Ogg, up to 2048 MB."


def test_a_finished_video_of_the_users_own_is_taken(cast, finished):
    form = OwnerForm({"title": "第一课", "video": str(finished.pk)}, user=cast.member)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["video"] == finished
    assert form.cleaned_data["captions"] is None


@pytest.mark.parametrize("case", ["someone else's", "unfinished", "another kind", "not an id", "missing"])
def test_any_other_id_is_the_fields_error(api, cast, finished, case):
    as_user(api, cast.member)
    value = {
        "someone else's": str(finished.pk),
        "unfinished": start(api, size=100).json()["id"],
        "another kind": upload_whole(api, VTT, kind="captions", name="a.vtt", content_type="")["id"],
        "not an id": "../../etc/passwd",
        "missing": "0f0e0d0c-0b0a-4908-8706-050403020100",
    }[case]
    user = cast.leader1 if case == "someone else's" else cast.member
    with translation.override("en"):
        form = OwnerForm({"title": "第一课", "video": value}, user=user)
        assert not form.is_valid()
        assert form.errors["video"] == [
            "Upload the file again: that upload was not found, is not yours or is not finished."
        ]


def test_the_file_already_attached_is_kept_whoever_uploaded_it(cast, finished):
    form = OwnerForm({"title": "改", "video": str(finished.pk)}, user=cast.leader1, attached=finished)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["video"] == finished
    assert not form.fields["video"].has_changed(finished.pk, str(finished.pk))
    unbound = OwnerForm(user=cast.leader1, attached=finished, initial={"video": finished.pk})
    assert f'value="{finished.pk}"' in str(unbound["video"]) and "操作法.webm" in str(unbound["video"])


def test_a_refused_form_keeps_the_id_and_names_the_file(client, cast, finished):
    client.force_login(cast.member)
    response = client.post("/media-owner/", {"title": "", "video": str(finished.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="video" value="{finished.pk}"' in html
    assert "操作法.webm" in html


def test_the_page_loads_the_widget_script(client, cast):
    client.force_login(cast.member)
    html = client.get("/media-owner/").content.decode()
    assert re.search(r'<script type="module" src="/static/frontend/media-upload\.js"></script>', html)
