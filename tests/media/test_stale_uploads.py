"""The periodic step removes unfinished uploads left behind and finished files nothing uses, with
their bytes; it keeps uploads still going and files in use."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.utils import timezone

from platform_core.media import services
from platform_core.media.models import MediaFile
from platform_core.periodic import periodic_steps, run_pass


def opened(cast, **fields) -> MediaFile:
    return services.media_upload_start(actor=cast.member, kind="video", name="课.webm", size=100, **fields)


def test_the_media_step_is_one_of_the_periodic_steps():
    assert "media" in dict(periodic_steps())


def test_stale_uploads_go_and_recent_ones_stay(cast, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_UPLOAD_EXPIRY_HOURS = 24
    now = timezone.now()
    stale = opened(cast)
    services.media_upload_append(
        actor=cast.member, media_id=stale.pk, offset=0, stream=io.BytesIO(b"x" * 10), length=10
    )
    MediaFile.objects.filter(pk=stale.pk).update(last_chunk_at=now - datetime.timedelta(hours=25))
    never_sent = opened(cast)
    MediaFile.objects.filter(pk=never_sent.pk).update(created_at=now - datetime.timedelta(hours=30))
    going = opened(cast)
    services.media_upload_append(
        actor=cast.member, media_id=going.pk, offset=0, stream=io.BytesIO(b"x" * 10), length=10
    )
    MediaFile.objects.filter(pk=going.pk).update(created_at=now - datetime.timedelta(hours=30))
    path = stale.file.storage.path(stale.file.name)
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_pass(now)
    assert result["media"] == {"stale_media_removed": 2}
    assert set(MediaFile.objects.values_list("pk", flat=True)) == {going.pk}
    assert not os.path.exists(path)
    assert run_pass(now)["media"] == {"stale_media_removed": 0}


def test_finished_files_nothing_uses_go_after_their_days(cast, settings):
    settings.MEDIA_UNATTACHED_DAYS = 7
    now = timezone.now()
    media = opened(cast)
    MediaFile.objects.filter(pk=media.pk).update(
        state="ready", received=100, completed_at=now - datetime.timedelta(days=8)
    )
    recent = opened(cast)
    MediaFile.objects.filter(pk=recent.pk).update(
        state="ready", received=100, completed_at=now - datetime.timedelta(days=1)
    )
    assert services.media_remove_stale(now=now) == {"stale_media_removed": 1}
    assert list(MediaFile.objects.values_list("pk", flat=True)) == [recent.pk]


def test_files_something_points_at_are_kept(cast, monkeypatch):
    """A file some relation points at (a lesson's video, once the courses exist) is in use: the
    relation is stood in for here by a filter that says so."""
    from django.db.models import Q

    media = opened(cast)
    now = timezone.now()
    MediaFile.objects.filter(pk=media.pk).update(
        state="ready", completed_at=now - datetime.timedelta(days=30)
    )
    monkeypatch.setattr(services, "unattached_filter", lambda: ~Q(pk=media.pk))
    assert services.media_remove_stale(now=now) == {"stale_media_removed": 0}
    assert MediaFile.objects.filter(pk=media.pk).exists()


def test_the_unattached_filter_reads_every_relation_to_media_files():
    relations = {relation.name for relation in MediaFile._meta.related_objects}
    condition = services.unattached_filter()
    assert {child[0] for child in condition.children} == {f"{name}__isnull" for name in relations}


@pytest.mark.django_db
def test_a_deleted_row_takes_its_bytes_after_commit_only(cast, django_capture_on_commit_callbacks):
    media = opened(cast)
    services.media_upload_append(
        actor=cast.member, media_id=media.pk, offset=0, stream=io.BytesIO(b"x" * 10), length=10
    )
    path = media.file.storage.path(media.file.name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        media.delete()
    assert os.path.exists(path) and callbacks
    for callback in callbacks:
        callback()
    assert not os.path.exists(path)
