"""Live sessions of a course: scheduled by the course's editors, each with its own chat room (the
course's author and enrolled members are its members; who enrols later joins), slides, an optional
link to the enterprise's own video stream, a reminder before it starts, and the recording after."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliances.services.rooms import room_create
from platform_core.audit.services import audit_record
from platform_core.media.models import MediaFile
from platform_core.text import clean_line
from platform_core.uploads import SESSION_SLIDES

from .. import events, permissions
from ..models import Course, CourseFile, LiveSession, SessionReminder
from .common import attached_media, notify, require, session_url

# How long before a session starts its reminder goes out.
REMINDER_LEAD = datetime.timedelta(minutes=30)
MAX_DURATION_MINUTES = 600


def _stream_url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError({"stream_url": _("Give an http or https link to the stream.")}) from None
    if len(value) > 500:
        raise ValidationError({"stream_url": _("Give an http or https link to the stream.")})
    return value


def session_schedule(
    *,
    actor,
    course: Course,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    stream_url: str = "",
    ip_address: str | None = None,
) -> LiveSession:
    require(
        permissions.can_edit_course(actor, course),
        _("Only the course's author or a union admin may schedule it."),
    )
    title = clean_line(title or "", max_length=200)
    if not title:
        raise ValidationError({"title": _("Give the session a title.")})
    if not isinstance(starts_at, datetime.datetime) or starts_at.tzinfo is None:
        raise ValidationError({"starts_at": _("Give the date and time the session starts.")})
    try:
        duration = int(duration_minutes)
    except (TypeError, ValueError):
        raise ValidationError({"duration_minutes": _("Give the duration in minutes.")}) from None
    if not 1 <= duration <= MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("A session lasts from 1 to 600 minutes.")})
    url = _stream_url(stream_url)
    members = [
        course.author,
        actor,
        *[enrolment.user for enrolment in course.enrolments.select_related("user")],
    ]
    with transaction.atomic():
        room = room_create(title=title, members=members)
        session = LiveSession.objects.create(
            course=course,
            title=title,
            starts_at=starts_at,
            duration_minutes=duration,
            stream_url=url,
            room=room,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=events.SESSION_SCHEDULED,
            target=course,
            ip_address=ip_address,
            data={"session": session.pk, "starts_at": starts_at.isoformat()},
        )
    return session


def session_slides_add(*, actor, session: LiveSession, upload, ip_address: str | None = None) -> CourseFile:
    require(
        permissions.can_edit_course(actor, session.course),
        _("Only the course's author or a union admin may add slides."),
    )
    name = SESSION_SLIDES.admit(upload)
    with transaction.atomic():
        stored = CourseFile(
            session=session, kind=CourseFile.Kind.SLIDES, name=name, size=upload.size, uploaded_by=actor
        )
        stored.file.save(name, upload, save=False)
        stored.save()
        audit_record(
            actor=actor,
            action=events.SESSION_SLIDES_ADDED,
            target=session.course,
            ip_address=ip_address,
            data={"session": session.pk, "name": name},
        )
    return stored


def session_recording_attach(
    *, actor, session: LiveSession, media_id, ip_address: str | None = None
) -> LiveSession:
    require(
        permissions.can_edit_course(actor, session.course),
        _("Only the course's author or a union admin may attach the recording."),
    )
    recording = attached_media(
        actor,
        media_id,
        kinds=(MediaFile.Kind.VIDEO, MediaFile.Kind.AUDIO),
        field="media_id",
        keep=session.recording,
    )
    if recording is None:
        raise ValidationError({"media_id": _("Upload the recording.")})
    with transaction.atomic():
        session.recording = recording
        session.save(update_fields=["recording"])
        audit_record(
            actor=actor,
            action=events.SESSION_RECORDING_ATTACHED,
            target=session.course,
            ip_address=ip_address,
            data={"session": session.pk},
        )
    return session


def _starts_soon(title: str) -> str:
    return _("“%(title)s” starts soon") % {"title": title}


def sessions_remind(now: datetime.datetime) -> int:
    """Tell the course's author and enrolled members of each session starting within REMINDER_LEAD,
    once per person (a SessionReminder row, unique: a second runner's insert fails and it tells
    nobody twice). Returns how many were told."""
    told = 0
    upcoming = LiveSession.objects.filter(
        starts_at__gt=now, starts_at__lte=now + REMINDER_LEAD
    ).select_related("course__author")
    for session in upcoming:
        people = {session.course.author_id: session.course.author}
        for enrolment in session.course.enrolments.select_related("user").filter(user__is_active=True):
            people[enrolment.user_id] = enrolment.user
        already = set(SessionReminder.objects.filter(session=session).values_list("user_id", flat=True))
        for user in people.values():
            if user.pk in already:
                continue
            try:
                with transaction.atomic():
                    SessionReminder.objects.create(session=session, user=user)
                    notify(
                        [user],
                        kind=events.SESSION_REMINDER,
                        title=partial(_starts_soon, session.title),
                        url=session_url(session),
                    )
            except IntegrityError:
                continue
            told += 1
    return told
