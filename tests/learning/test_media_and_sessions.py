"""Video and audio lessons: the attached file must be finished, of the right kind and the author's
own; the lesson page plays it through our access-checked view. Live sessions: a room with the
enrolled members (and who enrols later), an http(s) stream link only, one reminder per person,
the recording attached afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alliances.learning.events import SESSION_REMINDER
from alliances.learning.models import Lesson, SessionReminder
from alliances.learning.periodic import run as run_periodic
from alliances.learning.services import courses, progress, sessions
from alliances.models import Room
from alliances.permissions import rooms_of_filter
from platform_core.media.models import MediaFile
from platform_core.notifications.models import Notification
from tests.learning.media import media_file, serving_stub

pytestmark = pytest.mark.django_db


def video_lesson(cast, world, **extra) -> Lesson:
    return courses.lesson_add(
        actor=cast.leader1,
        course=world.course,
        title="示范视频",
        kind="video",
        media_id=str(media_file(cast.leader1).pk),
        **extra,
    )


def test_a_video_lesson_with_captions(cast, world):
    captions = media_file(cast.leader1, kind=MediaFile.Kind.CAPTIONS, name="字幕.vtt")
    lesson = video_lesson(cast, world, captions_id=str(captions.pk))
    assert lesson.media.is_ready and lesson.captions == captions


@pytest.mark.parametrize(
    "problem",
    ["not ready", "wrong kind", "someone else's", "unknown", "missing"],
)
def test_the_attached_file_is_checked(cast, world, problem):
    media_id: str | None
    if problem == "not ready":
        media_id = str(media_file(cast.leader1, ready=False).pk)
    elif problem == "wrong kind":
        media_id = str(media_file(cast.leader1, kind=MediaFile.Kind.AUDIO).pk)
    elif problem == "someone else's":
        media_id = str(media_file(cast.leader2).pk)
    elif problem == "unknown":
        media_id = "00000000-0000-0000-0000-000000000000"
    else:
        media_id = None
    with pytest.raises(ValidationError) as refused:
        courses.lesson_add(
            actor=cast.leader1, course=world.course, title="视频", kind="video", media_id=media_id
        )
    assert "media_id" in refused.value.message_dict


def test_a_union_admin_editing_keeps_the_authors_video(cast, world):
    lesson = video_lesson(cast, world)
    saved = courses.lesson_update(
        actor=cast.admin, lesson=lesson, title="改名", kind="video", media_id=str(lesson.media_id)
    )
    assert saved.media_id == lesson.media_id


def test_the_lesson_plays_through_our_checked_view(client, cast, world, monkeypatch):
    served = serving_stub(monkeypatch)
    lesson = video_lesson(cast, world)
    url = reverse("learning:lesson_media", args=[lesson.pk, "media"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 200
    assert client.get(reverse("learning:lesson_media", args=[lesson.pk, "captions"])).status_code == 404
    assert client.get(reverse("learning:lesson_media", args=[lesson.pk, "other"])).status_code == 404
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert f'src="{url}"' in page
    if served:
        assert served == [lesson.media]


def test_a_drafts_video_is_the_same_404(client, cast, world, monkeypatch):
    serving_stub(monkeypatch)
    lesson = courses.lesson_add(
        actor=cast.leader1,
        course=world.draft,
        title="草稿视频",
        kind="video",
        media_id=str(media_file(cast.leader1).pk),
    )
    client.force_login(cast.member)
    assert client.get(reverse("learning:lesson_media", args=[lesson.pk, "media"])).status_code == 404


def test_the_session_room_holds_the_enrolled_and_who_enrols_later(cast, world):
    room = world.session.room
    assert Room.objects.filter(rooms_of_filter(cast.member), pk=room.pk).exists()
    assert not Room.objects.filter(rooms_of_filter(cast.leader2), pk=room.pk).exists()
    progress.enrol(actor=cast.leader2, course=world.course)
    assert Room.objects.filter(rooms_of_filter(cast.leader2), pk=room.pk).exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/live", "data:text/html,x", "live"])
def test_the_stream_link_is_http_or_https_only(cast, world, url):
    with pytest.raises(ValidationError):
        sessions.session_schedule(
            actor=cast.leader1, course=world.course, title="直播", starts_at=timezone.now(), stream_url=url
        )


def test_the_reminder_goes_once_per_person(cast, world):
    session = world.session
    now = session.starts_at - datetime.timedelta(hours=2)
    assert run_periodic(now) == {"session_reminders": 0}  # not yet
    soon = session.starts_at - datetime.timedelta(minutes=10)
    assert run_periodic(soon) == {"session_reminders": 2}  # leader1 (author) and member
    assert run_periodic(soon) == {"session_reminders": 0}
    assert SessionReminder.objects.filter(session=session).count() == 2
    assert Notification.objects.filter(kind=SESSION_REMINDER, recipient=cast.member).count() == 1


def test_the_recording_is_attached_afterwards(client, cast, world, monkeypatch):
    served = serving_stub(monkeypatch)
    with pytest.raises(ValidationError):
        sessions.session_recording_attach(
            actor=cast.leader1,
            session=world.session,
            media_id=str(media_file(cast.leader1, kind="captions").pk),
        )
    recording = media_file(cast.leader1)
    sessions.session_recording_attach(actor=cast.leader1, session=world.session, media_id=str(recording.pk))
    client.force_login(cast.member)
    assert client.get(reverse("learning:session_recording_play", args=[world.session.pk])).status_code == 200
    page = client.get(reverse("learning:session", args=[world.session.pk])).content.decode()
    assert reverse("teams:room", args=[world.session.room_id]) in page
    if served:
        assert served == [recording]


def test_the_reminder_step_is_a_periodic_step():
    from platform_core.periodic import periodic_steps

    assert "learning" in dict(periodic_steps())
