"""网上学习培训: courses of studios, experts and the union, their lessons (text, pictures, files,
video or audio), per-lesson quizzes, enrolments with progress and completion, and live sessions
(docs/learning.md).

Every write goes through services/; who sees what is in permissions.py and selectors.py. The
models hold data and what the database itself must guarantee: one enrolment per member and course,
a lesson done once, one reminder per person and session, a certificate code used once.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage


class Course(models.Model):
    class Publisher(models.TextChoices):
        STUDIO = "studio", _("A studio")
        EXPERT = "expert", _("An expert")
        UNION = "union", _("The union")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    publisher = models.CharField(_("published by"), max_length=10, choices=Publisher.choices)
    # The studio that publishes it (publisher "studio" only): the certificate names it.
    studio = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_courses",
    )
    fields = models.ManyToManyField(
        "alliances.FieldOfWork", verbose_name=_("fields of work"), blank=True, related_name="courses"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    hours = models.PositiveSmallIntegerField(_("hours"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Title, summary and the lessons' titles as grams (search.py), kept by the services.
    search_grams = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publisher="studio", studio__isnull=False)
                | (~models.Q(publisher="studio") & models.Q(studio__isnull=True)),
                name="course_studio_matches_publisher",
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=1), name="course_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    # Markdown as typed, and its sanitised rendering (alliances/markdown.py).
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("rendered text"), blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    media = models.ForeignKey(
        "media.MediaFile",
        verbose_name=_("video or audio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    captions = models.ForeignKey(
        "media.MediaFile",
        verbose_name=_("captions"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The share of the quiz's questions to answer right (percent), where the lesson has a quiz.
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="lesson_position_unique"),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100), name="lesson_pass_mark_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LiveSession(models.Model):
    """A scheduled lecture of a course: its own chat room (the course's enrolled members and the
    author are its members), slides, a link to the enterprise's own stream, and the recording."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    stream_url = models.URLField(_("video stream link"), max_length=500, blank=True)
    room = models.OneToOneField(
        "alliances.Room", verbose_name=_("chat room"), on_delete=models.PROTECT, related_name="live_session"
    )
    recording = models.ForeignKey(
        "media.MediaFile",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title


def course_file_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the course nor the original file name.
    extension = Path(filename).suffix.lower()[:10]
    return f"learning/{uuid.uuid4().hex}{extension}"


class CourseFile(models.Model):
    """A lesson's picture or attachment, or a live session's slides, in private storage: read only
    through the lesson's or session's access check."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Picture")
        ATTACHMENT = "attachment", _("Attachment")
        SLIDES = "slides", _("Slides")

    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("live session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="slides",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=course_file_upload_to, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course file")
        verbose_name_plural = _("course files")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, session__isnull=True)
                | models.Q(lesson__isnull=True, session__isnull=False),
                name="course_file_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A quiz question of a lesson: single choice (one right answer) or multiple choice."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=500)
    multiple = models.BooleanField(_("multiple choice"), default=False)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["lesson", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("answer"), max_length=200)
    # Read only by the service that marks a submission: never serialised, never in a template.
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class Enrolment(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="course_enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    # The completion record: when, the hours credited (the course's hours on that day), and the
    # code that verifies the certificate.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours credited"), default=0)
    certificate_code = models.CharField(
        _("certificate code"), max_length=32, null=True, blank=True, unique=True
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="enrolment_once")]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonDone(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="done"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.lesson}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    # {question id: [choice ids]} as submitted.
    answers = models.JSONField(_("answers"), default=dict)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.lesson}: {self.score}%"


class SessionReminder(models.Model):
    """That a person was reminded of a live session: once per person and session."""

    session = models.ForeignKey(
        LiveSession, verbose_name=_("live session"), on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="session_reminder_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}"
