"""Courses and their lessons, pictures, attachments and quizzes: written by the course's author (or
a union admin), draft → published."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.markdown import render_markdown
from alliances.models import FieldOfWork
from platform_core.audit.services import audit_record
from platform_core.images import reencode_avatar
from platform_core.media.models import MediaFile
from platform_core.orgs.models import Studio
from platform_core.text import clean_line, clean_plain_text, clean_tags
from platform_core.uploads import LESSON_FILE, LESSON_IMAGE

from .. import events, permissions, search
from ..models import Choice, Course, CourseFile, Lesson, Question
from .common import attached_media, require

MAX_HOURS = 1000
MAX_LESSONS = 200
MAX_QUESTIONS = 20
MAX_CHOICES = 8
IMAGE_SIDE = 1600


def _content(data: dict) -> dict:
    title = clean_line(data.get("title") or "", max_length=200)
    summary = clean_line(data.get("summary") or "", max_length=500)
    if not title:
        raise ValidationError({"title": _("Give the course a title.")})
    if not summary:
        raise ValidationError({"summary": _("Give a short summary.")})
    level = data.get("level") or Course.Level.BEGINNER
    if level not in Course.Level.values:
        raise ValidationError({"level": _("Choose a level.")})
    try:
        hours = int(data.get("hours"))  # type: ignore[arg-type]  # None and junk: the except below
    except (TypeError, ValueError):
        raise ValidationError({"hours": _("Give the course's hours as a whole number.")}) from None
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError({"hours": _("A course lasts from 1 to 1000 hours.")})
    return {
        "title": title,
        "summary": summary,
        "description": clean_plain_text(data.get("description") or "", max_length=20000),
        "level": level,
        "hours": hours,
    }


def _fields(data: dict) -> list[FieldOfWork]:
    names = clean_tags(data.get("fields") or [], max_items=8)
    return [FieldOfWork.objects.get_or_create(name=name)[0] for name in names]


def reindex(course: Course) -> None:
    """The course's search text: its title, summary and lessons' titles."""
    titles = list(course.lessons.order_by("position").values_list("title", flat=True))
    course.search_grams = search.course_grams(course, titles)
    course.save(update_fields=["search_grams"])


def course_create(
    *, actor, publisher: str, studio: Studio | None = None, ip_address: str | None = None, **data
) -> Course:
    """A draft course, published as a studio (by its leader), as an expert, or as the union.
    `data`: title, summary, description, level, hours, fields (names)."""
    if publisher not in Course.Publisher.values:
        raise ValidationError({"publisher": _("Choose who publishes the course.")})
    if publisher != Course.Publisher.STUDIO:
        studio = None
    require(
        permissions.can_publish_as(actor, publisher, studio),
        _("Only a studio's leader, an expert or a union admin may publish courses, each as themself."),
    )
    content = _content(data)
    with transaction.atomic():
        course = Course(publisher=publisher, studio=studio, author=actor, **content)
        course.search_grams = search.course_grams(course, [])
        course.save()
        course.fields.set(_fields(data))
        audit_record(actor=actor, action=events.COURSE_CREATED, target=course, ip_address=ip_address)
    return course


def _locked(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


def course_update(*, actor, course: Course, ip_address: str | None = None, **data) -> Course:
    content = _content(data)
    with transaction.atomic():
        course = _locked(course)
        require(
            permissions.can_edit_course(actor, course),
            _("Only the course's author or a union admin may edit it."),
        )
        for field, value in content.items():
            setattr(course, field, value)
        course.save(update_fields=[*content, "updated_at"])
        course.fields.set(_fields(data))
        reindex(course)
        audit_record(actor=actor, action=events.COURSE_UPDATED, target=course, ip_address=ip_address)
    return course


def course_publish(*, actor, course: Course, ip_address: str | None = None) -> Course:
    with transaction.atomic():
        course = _locked(course)
        require(
            permissions.can_edit_course(actor, course),
            _("Only the course's author or a union admin may publish it."),
        )
        if course.is_published:
            raise ValidationError(_("The course is already published."))
        if not course.lessons.exists():
            raise ValidationError(_("Add a lesson before publishing the course."))
        course.state = Course.State.PUBLISHED
        course.published_at = timezone.now()
        course.save(update_fields=["state", "published_at", "updated_at"])
        audit_record(actor=actor, action=events.COURSE_PUBLISHED, target=course, ip_address=ip_address)
    return course


# Lessons ------------------------------------------------------------------------------------------


def _lesson_content(actor, data: dict, *, lesson: Lesson | None) -> dict:
    title = clean_line(data.get("title") or "", max_length=200)
    if not title:
        raise ValidationError({"title": _("Give the lesson a title.")})
    kind = data.get("kind") or Lesson.Kind.TEXT
    if kind not in Lesson.Kind.values:
        raise ValidationError({"kind": _("Choose text, video or audio.")})
    body = clean_plain_text(data.get("body") or "", max_length=50000)
    try:
        pass_mark = int(data.get("pass_mark") or 60)
    except (TypeError, ValueError):
        raise ValidationError({"pass_mark": _("Give the pass mark as a percentage.")}) from None
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("Give the pass mark as a percentage.")})
    media = captions = None
    if kind != Lesson.Kind.TEXT:
        media = attached_media(
            actor,
            data.get("media_id"),
            kinds=(kind,),
            field="media_id",
            keep=lesson.media if lesson else None,
        )
        if media is None:
            raise ValidationError({"media_id": _("Upload the lesson's video or audio.")})
    if kind == Lesson.Kind.VIDEO:
        captions = attached_media(
            actor,
            data.get("captions_id"),
            kinds=(MediaFile.Kind.CAPTIONS,),
            field="captions_id",
            keep=lesson.captions if lesson else None,
        )
    if kind == Lesson.Kind.TEXT and not body:
        raise ValidationError({"body": _("Write the lesson's text.")})
    return {
        "title": title,
        "kind": kind,
        "body": body,
        "body_html": render_markdown(body) if body else "",
        "pass_mark": pass_mark,
        "media": media,
        "captions": captions,
    }


def lesson_add(*, actor, course: Course, ip_address: str | None = None, **data) -> Lesson:
    """A lesson at the end of the course. `data`: title, kind (text, video, audio), body
    (Markdown), media_id and captions_id (MediaFile ids from the upload widget), pass_mark."""
    with transaction.atomic():
        course = _locked(course)
        require(
            permissions.can_edit_course(actor, course),
            _("Only the course's author or a union admin may edit it."),
        )
        content = _lesson_content(actor, data, lesson=None)
        last = course.lessons.aggregate(last=Max("position"))["last"] or 0
        if course.lessons.count() >= MAX_LESSONS:
            raise ValidationError(_("A course holds at most 200 lessons."))
        lesson = Lesson.objects.create(course=course, position=last + 1, **content)
        reindex(course)
        audit_record(
            actor=actor,
            action=events.LESSON_SAVED,
            target=course,
            ip_address=ip_address,
            data={"lesson": lesson.pk},
        )
    return lesson


def lesson_update(*, actor, lesson: Lesson, ip_address: str | None = None, **data) -> Lesson:
    with transaction.atomic():
        course = _locked(lesson.course)
        require(
            permissions.can_edit_course(actor, course),
            _("Only the course's author or a union admin may edit it."),
        )
        lesson = Lesson.objects.select_related("media", "captions").get(pk=lesson.pk)
        content = _lesson_content(actor, data, lesson=lesson)
        for field, value in content.items():
            setattr(lesson, field, value)
        lesson.save(update_fields=list(content))
        reindex(course)
        audit_record(
            actor=actor,
            action=events.LESSON_SAVED,
            target=course,
            ip_address=ip_address,
            data={"lesson": lesson.pk},
        )
    return lesson


def lesson_move(*, actor, lesson: Lesson, direction: str, ip_address: str | None = None) -> Lesson:
    """Swap a lesson with the one before ("up") or after ("down") it."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a lesson up or down."))
    with transaction.atomic():
        course = _locked(lesson.course)
        require(
            permissions.can_edit_course(actor, course),
            _("Only the course's author or a union admin may edit it."),
        )
        lesson = Lesson.objects.get(pk=lesson.pk)
        siblings = course.lessons.exclude(pk=lesson.pk)
        neighbour = (
            siblings.filter(position__lt=lesson.position).order_by("-position").first()
            if direction == "up"
            else siblings.filter(position__gt=lesson.position).order_by("position").first()
        )
        if neighbour is None:
            return lesson
        mine, theirs = lesson.position, neighbour.position
        # Through position 0 (never a lesson's): (course, position) is unique at every step.
        Lesson.objects.filter(pk=lesson.pk).update(position=0)
        Lesson.objects.filter(pk=neighbour.pk).update(position=mine)
        Lesson.objects.filter(pk=lesson.pk).update(position=theirs)
        lesson.position = theirs
        audit_record(
            actor=actor,
            action=events.LESSON_SAVED,
            target=course,
            ip_address=ip_address,
            data={"moved": lesson.pk},
        )
    return lesson


def lesson_file_add(*, actor, lesson: Lesson, upload, kind: str, ip_address: str | None = None) -> CourseFile:
    """A picture (decoded and encoded afresh, shown in the lesson) or an attachment."""
    if kind not in (CourseFile.Kind.IMAGE, CourseFile.Kind.ATTACHMENT):
        raise ValidationError({"kind": _("Choose picture or attachment.")})
    require(
        permissions.can_edit_course(actor, lesson.course),
        _("Only the course's author or a union admin may edit it."),
    )
    name = (LESSON_IMAGE if kind == CourseFile.Kind.IMAGE else LESSON_FILE).admit(upload)
    content = upload
    if kind == CourseFile.Kind.IMAGE:
        content = reencode_avatar(upload, side=IMAGE_SIDE)
        name = f"{name.rsplit('.', 1)[0]}.{(content.name or '.jpg').rsplit('.', 1)[-1]}"
    with transaction.atomic():
        stored = CourseFile(lesson=lesson, kind=kind, name=name, size=content.size, uploaded_by=actor)
        stored.file.save(name, content, save=False)
        stored.save()
        audit_record(
            actor=actor,
            action=events.LESSON_FILE_ADDED,
            target=lesson.course,
            ip_address=ip_address,
            data={"lesson": lesson.pk, "name": name},
        )
    return stored


# Quizzes ------------------------------------------------------------------------------------------


def question_add(
    *,
    actor,
    lesson: Lesson,
    text: str,
    multiple: bool,
    choices: list[tuple[str, bool]],
    ip_address: str | None = None,
) -> Question:
    """A quiz question: 2 to 8 answers; a single-choice question has exactly one right answer, a
    multiple-choice one at least one."""
    require(
        permissions.can_edit_course(actor, lesson.course),
        _("Only the course's author or a union admin may edit it."),
    )
    text = clean_line(text or "", max_length=500)
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    cleaned = [(clean_line(answer or "", max_length=200), bool(correct)) for answer, correct in choices]
    cleaned = [(answer, correct) for answer, correct in cleaned if answer]
    if not 2 <= len(cleaned) <= MAX_CHOICES:
        raise ValidationError({"choices": _("Give from 2 to 8 answers.")})
    right = sum(1 for _answer, correct in cleaned if correct)
    if multiple and right < 1:
        raise ValidationError({"choices": _("Mark at least one answer right.")})
    if not multiple and right != 1:
        raise ValidationError({"choices": _("A single-choice question has exactly one right answer.")})
    with transaction.atomic():
        Lesson.objects.select_for_update().get(pk=lesson.pk)
        if lesson.questions.count() >= MAX_QUESTIONS:
            raise ValidationError(_("A quiz holds at most 20 questions."))
        last = lesson.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(lesson=lesson, position=last + 1, text=text, multiple=multiple)
        Choice.objects.bulk_create(
            [
                Choice(question=question, position=position, text=answer, correct=correct)
                for position, (answer, correct) in enumerate(cleaned, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action=events.QUIZ_CHANGED,
            target=lesson.course,
            ip_address=ip_address,
            data={"lesson": lesson.pk, "added": question.pk},
        )
    return question


def question_remove(*, actor, question: Question, ip_address: str | None = None) -> None:
    lesson = question.lesson
    require(
        permissions.can_edit_course(actor, lesson.course),
        _("Only the course's author or a union admin may edit it."),
    )
    with transaction.atomic():
        question.delete()
        audit_record(
            actor=actor,
            action=events.QUIZ_CHANGED,
            target=lesson.course,
            ip_address=ip_address,
            data={"lesson": lesson.pk, "removed": question.text},
        )
