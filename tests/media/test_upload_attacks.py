"""The upload sweep's attacks (tests/platform/test_upload_sweep.py), sent through the chunked
media API as a hostile client would: each is refused with a clear 4xx and leaves no file that
could be served, or is stored under its id with a clean name and served inline only as the
media type it proved to be."""

from __future__ import annotations

import pytest
from django.utils import translation

from platform_core.media import policy
from platform_core.media.models import MediaFile
from platform_core.uploads import UploadKind
from tests.conftest import as_user
from tests.media.conftest import VTT, send, start, video_bytes
from tests.platform.test_upload_sweep import ATTACKS, Attack, Sample, assert_safe_name, disposition_name

pytestmark = pytest.mark.urls("tests.media.owner")

LIMIT = 64 * 1024
KINDS = {
    "video": (Sample(".webm", video_bytes(2000)), "video/webm"),
    "captions": (Sample(".vtt", VTT), "text/vtt; charset=utf-8"),
}


def run_attack(api, kind: str, attack: Attack):
    sample, _served_type = KINDS[kind]
    policy_kind = UploadKind(f"media_{kind}", LIMIT, policy.extensions(kind), types=policy.TYPE_NAMES[kind])
    made = attack.file(policy_kind, sample)
    if made is None:
        return None
    name, content = made
    opened = start(api, kind=kind, name=name, size=len(content), content_type="")
    if opened.status_code != 201:
        return opened
    upload = opened.json()
    for offset in range(0, len(content), 1000):
        assert send(api, upload, offset, content[offset : offset + 1000]).status_code == 204
    return api.post(upload["complete_url"])


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_each_attack_is_refused_or_served_safely(
    api, client, cast, settings, kind, attack, django_capture_on_commit_callbacks
):
    settings.MEDIA_MAX_BYTES = {"video": LIMIT, "audio": LIMIT, "captions": LIMIT}
    as_user(api, cast.member)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = run_attack(api, kind, attack)
    if response is None:
        return
    assert 400 <= response.status_code < 500 or response.status_code == 200, response.status_code
    ready = MediaFile.objects.filter(state=MediaFile.State.READY)
    if attack.refused:
        assert response.status_code == 400, (attack.name, response.json())
        said = str(response.json())
        if attack.names_limit:
            assert "64 KB" in said
        assert not ready.exists()
        for media in MediaFile.objects.all():  # refused at completion: the bytes are gone
            assert not media.file.storage.exists(media.file.name) or media.state == "uploading"
        return
    assert response.status_code == 200, response.json()
    media = ready.get()
    assert media.file.name == f"media/{media.pk.hex[:2]}/{media.pk.hex}"
    assert_safe_name(media.name)
    client.force_login(cast.outsider)
    served = client.get(f"/media-owner/files/{media.pk}/")
    assert served["Content-Type"] == KINDS[kind][1]
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]
    assert served["Content-Disposition"].startswith("inline")
    assert disposition_name(served["Content-Disposition"]) == media.name
