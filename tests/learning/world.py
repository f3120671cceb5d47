"""The learning objects the URL × role matrix (tests/platform/url_role_world.py) and the learning
tests request, made through the services from the cast (tests/cast.py):

- `course`: published by leader1 for studio1, a text `lesson` (with a PDF attachment
  `lesson_file`) and a `quiz_lesson` (one single-choice `question`, `right` its right answer);
  a live `session` with slides. `member` is enrolled and has completed it (`completion`).
- `draft`: leader1's draft course with one lesson, `draft_lesson`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliances.learning import events
from alliances.learning.models import Choice, Course, CourseFile, Enrolment, Lesson, LiveSession, Question
from alliances.learning.services import courses, progress, sessions
from platform_core.notifications.models import Notification
from tests.cast import Cast

PDF = b"%PDF-1.4 learning"


def pdf(name: str = "讲义.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class LearningWorld:
    course: Course
    lesson: Lesson
    quiz_lesson: Lesson
    question: Question
    right: Choice
    lesson_file: CourseFile
    session: LiveSession
    slides: CourseFile
    completion: Enrolment
    draft: Course
    draft_lesson: Lesson


def make_course(
    cast: Cast, *, title: str = "带电作业安全操作法", publish: bool = True, author=None
) -> Course:
    author = author or cast.leader1
    course = courses.course_create(
        actor=author,
        publisher=Course.Publisher.STUDIO if author == cast.leader1 else Course.Publisher.UNION,
        studio=cast.studio1 if author == cast.leader1 else None,
        title=title,
        summary="绝缘防护与操作要点",
        level=Course.Level.BEGINNER,
        hours=4,
        fields=["带电作业"],
    )
    courses.lesson_add(actor=author, course=course, title="绝缘防护", body="戴好**绝缘手套**。")
    if publish:
        course = courses.course_publish(actor=author, course=course)
    return course


def add_quiz(actor, lesson: Lesson) -> tuple[Question, Choice]:
    question = courses.question_add(
        actor=actor,
        lesson=lesson,
        text="作业前必须检查什么？",
        multiple=False,
        choices=[("绝缘手套", True), ("安全帽颜色", False)],
    )
    return question, question.choices.get(correct=True)


def make_learning_world(cast: Cast) -> LearningWorld:
    course = make_course(cast)
    lesson = course.lessons.get()
    quiz_lesson = courses.lesson_add(actor=cast.leader1, course=course, title="课后测验", body="回顾要点。")
    question, right = add_quiz(cast.leader1, quiz_lesson)
    lesson_file = courses.lesson_file_add(actor=cast.leader1, lesson=lesson, upload=pdf(), kind="attachment")
    session = sessions.session_schedule(
        actor=cast.leader1,
        course=course,
        title="现场答疑",
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    slides = sessions.session_slides_add(actor=cast.leader1, session=session, upload=pdf("课件.pdf"))
    progress.enrol(actor=cast.member, course=course)
    progress.lesson_mark_done(actor=cast.member, lesson=lesson)
    result = progress.quiz_submit(actor=cast.member, lesson=quiz_lesson, answers={question.pk: [right.pk]})
    assert result.enrolment.is_complete
    # member has read the completion notice; whatever else the world tells member (an experience
    # post's comments, a consultation) stays unread, as the URL × role table expects.
    Notification.objects.filter(
        recipient=cast.member, kind=events.COURSE_COMPLETED, read_at__isnull=True
    ).update(read_at=timezone.now())
    draft = make_course(cast, title="未发布的焊接课程", publish=False)
    return LearningWorld(
        course=course,
        lesson=lesson,
        quiz_lesson=quiz_lesson,
        question=question,
        right=right,
        lesson_file=lesson_file,
        session=session,
        slides=slides,
        completion=result.enrolment,
        draft=draft,
        draft_lesson=draft.lessons.get(),
    )
