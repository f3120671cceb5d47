"""Every read of the learning app that depends on who asks: one selector per object, used by the
page and the API alike (`course_for`, `lesson_for`, `session_for`, `course_file_for`,
`certificate_for`), the catalogue and a person's learning record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe

from alliances.markdown import render_markdown
from alliances.models import FieldOfWork

from . import permissions
from .models import Course, CourseFile, Enrolment, Lesson, LiveSession, QuizAttempt
from .search import COURSES

CATALOGUE_PAGE = 20


def sanitised(html: str) -> SafeString:
    """HTML the Markdown renderer made: user text escaped first, then through the platform's one
    allowlist (platform_core.text.sanitize_html), so it is shown as it is."""
    return mark_safe(html)  # noqa: S308  produced by alliances.markdown.render_markdown only


def courses_visible(user) -> QuerySet[Course]:
    """Every course `user` may see: the catalogue, its API and the learning search read this."""
    return Course.objects.filter(permissions.courses_visible_filter(user))


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    field: str = ""

    @classmethod
    def from_params(cls, params) -> CatalogueFilters:
        return cls(
            query=(params.get("q") or "").strip()[:100], field=(params.get("field") or "").strip()[:30]
        )


def catalogue(user, filters: CatalogueFilters) -> QuerySet[Course]:
    """The catalogue as `user` sees it, matching the search and the field, best match first."""
    courses = courses_visible(user)
    if filters.field:
        courses = courses.filter(fields__name=filters.field)
    if filters.query:
        courses = COURSES.search(courses, filters.query).order_by("-relevance", "-published_at", "-pk")
    else:
        courses = courses.order_by("-published_at", "-pk")
    return (
        courses.select_related("studio", "author")
        .prefetch_related("fields")
        .annotate(lesson_count=Count("lessons", distinct=True))
    )


def catalogue_facets(user, filters: CatalogueFilters) -> list[tuple[str, int]]:
    """The fields of work of the courses matching the search, with how many each."""
    courses = courses_visible(user)
    if filters.query:
        courses = COURSES.matching(courses, filters.query)
    rows = (
        FieldOfWork.objects.filter(courses__in=courses.values("pk"))
        .annotate(n=Count("courses", distinct=True))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    return list(rows[:30])


@dataclass
class CourseView:
    """A course as one viewer sees it, with what they may do (the page's and the API's flags)."""

    course: Course
    lessons: Sequence[Lesson]
    sessions: list[LiveSession]
    enrolment: Enrolment | None
    done_ids: set[int] = field(default_factory=set)
    can_edit: bool = False
    can_enrol: bool = False
    can_read_lessons: bool = False

    @property
    def description_html(self) -> SafeString:
        return (
            sanitised(render_markdown(self.course.description)) if self.course.description else sanitised("")
        )

    @property
    def progress(self) -> int:
        """Percent of the lessons done."""
        if not self.lessons:
            return 0
        return round(100 * len(self.done_ids & {lesson.pk for lesson in self.lessons}) / len(self.lessons))


def _course(user, pk: int) -> Course:
    return get_object_or_404(
        courses_visible(user).select_related("studio", "author").prefetch_related("fields"), pk=pk
    )


def course_for(user, pk: int) -> CourseView:
    """A course the viewer may see (a missing course and someone else's draft: the same 404)."""
    course = _course(user, pk)
    lessons = list(course.lessons.annotate(question_count=Count("questions")).order_by("position"))
    enrolment = None
    done_ids: set[int] = set()
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(course=course, user=user).first()
        if enrolment is not None:
            done_ids = set(enrolment.done.values_list("lesson_id", flat=True))
    can_read = permissions.can_read_lessons(user, course)
    return CourseView(
        course=course,
        lessons=lessons,
        sessions=list(course.sessions.order_by("starts_at")) if can_read else [],
        enrolment=enrolment,
        done_ids=done_ids,
        can_edit=permissions.can_edit_course(user, course),
        can_enrol=enrolment is None and permissions.can_enrol(user, course),
        can_read_lessons=can_read,
    )


@dataclass
class LessonView:
    lesson: Lesson
    course: Course
    enrolment: Enrolment | None
    done: bool
    # Questions with their answers' texts: the `correct` flag is never shown or serialised.
    questions: list
    images: list[CourseFile]
    attachments: list[CourseFile]
    last_attempt: QuizAttempt | None
    previous: Lesson | None
    next: Lesson | None
    can_edit: bool

    @property
    def body_html(self) -> SafeString:
        return sanitised(self.lesson.body_html)

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions)

    @property
    def can_mark_done(self) -> bool:
        return self.enrolment is not None and not self.done and not self.questions

    @property
    def can_take_quiz(self) -> bool:
        return self.enrolment is not None and bool(self.questions)


def lesson_queryset(user) -> QuerySet[Lesson]:
    return Lesson.objects.filter(permissions.lessons_visible_filter(user))


def lesson_for(user, pk: int) -> LessonView:
    """A lesson of a course the viewer may see, for a signed-in viewer (else the same 404)."""
    lesson = get_object_or_404(
        lesson_queryset(user).select_related("course__studio", "course__author", "media", "captions"), pk=pk
    )
    course = lesson.course
    enrolment = Enrolment.objects.filter(course=course, user=user).first()
    done = enrolment is not None and enrolment.done.filter(lesson=lesson).exists()
    questions = list(lesson.questions.prefetch_related("choices").order_by("position"))
    files = list(lesson.files.all())
    siblings = course.lessons.only("pk", "title", "position", "course_id")
    last_attempt = (
        QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson).first()
        if enrolment is not None
        else None
    )
    return LessonView(
        lesson=lesson,
        course=course,
        enrolment=enrolment,
        done=done,
        questions=questions,
        images=[f for f in files if f.kind == CourseFile.Kind.IMAGE],
        attachments=[f for f in files if f.kind == CourseFile.Kind.ATTACHMENT],
        last_attempt=last_attempt,
        previous=siblings.filter(position__lt=lesson.position).order_by("-position").first(),
        next=siblings.filter(position__gt=lesson.position).order_by("position").first(),
        can_edit=permissions.can_edit_course(user, course),
    )


def lesson_media(user, pk: int, which: str):
    """The video or audio ("media") or the captions of a lesson the viewer may read, ready to play."""
    lesson = get_object_or_404(lesson_queryset(user).select_related("media", "captions"), pk=pk)
    media_file = {"media": lesson.media, "captions": lesson.captions}.get(which)
    if media_file is None or not media_file.is_ready:
        raise Http404
    return media_file


def course_file_for(user, pk: int) -> CourseFile:
    """A lesson's picture or attachment, or a session's slides, for who may read the lesson."""
    visible = Course.objects.filter(permissions.courses_visible_filter(user)).values("pk")
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        CourseFile.objects.filter(Q(lesson__course__in=visible) | Q(session__course__in=visible)), pk=pk
    )


@dataclass
class SessionView:
    session: LiveSession
    slides: list[CourseFile]
    can_edit: bool
    in_room: bool


def session_queryset(user) -> QuerySet[LiveSession]:
    if not user.is_authenticated:
        return LiveSession.objects.none()
    return LiveSession.objects.filter(course__in=courses_visible(user).values("pk"))


def session_for(user, pk: int) -> SessionView:
    from alliances.permissions import is_room_member

    session = get_object_or_404(
        session_queryset(user).select_related("course__author", "room", "recording"), pk=pk
    )
    return SessionView(
        session=session,
        slides=list(session.slides.all()),
        can_edit=permissions.can_edit_course(user, session.course),
        in_room=is_room_member(user, session.room),
    )


def session_recording(user, pk: int):
    session = get_object_or_404(session_queryset(user).select_related("recording"), pk=pk)
    if session.recording is None or not session.recording.is_ready:
        raise Http404
    return session.recording


# Records ----------------------------------------------------------------------------------------


@dataclass
class LearningRecord:
    person: object
    enrolments: Sequence[Enrolment]
    completed: int
    hours: int


def person_for_record(viewer, user_id: int):
    person = get_object_or_404(get_user_model().objects.select_related("unit"), pk=user_id)
    if not permissions.can_view_record(viewer, person):
        raise Http404
    return person


def learning_record(person) -> LearningRecord:
    """A person's courses (completed first, then in progress), with progress and hours."""
    enrolments = list(
        Enrolment.objects.filter(user=person)
        .select_related("course__studio")
        .annotate(
            done_count=Count("done", distinct=True),
            lesson_count=Count("course__lessons", distinct=True),
        )
        .order_by("completed_at", "-enrolled_at")
    )
    enrolments.sort(key=lambda e: (e.completed_at is None, -(e.completed_at or e.enrolled_at).timestamp()))
    totals = Enrolment.objects.filter(user=person, completed_at__isnull=False).aggregate(
        n=Count("pk"), hours=Sum("hours")
    )
    return LearningRecord(
        person=person, enrolments=enrolments, completed=totals["n"] or 0, hours=totals["hours"] or 0
    )


def certificate_for(code: str) -> Enrolment:
    """A completion certificate by its code: public, so that anyone handed it may verify it."""
    code = (code or "").strip().upper()[:32]
    return get_object_or_404(
        Enrolment.objects.filter(completed_at__isnull=False).select_related("user__unit", "course__studio"),
        certificate_code=code,
    )
