"""Enrolment, lessons done, quizzes, completion.

Lessons may be done in any order: a course is a set of lessons to work through, and a member who
already knows the first may start with the third. A lesson with a quiz is done when its quiz is
passed (its "done" button is not offered); the course is complete, with its completion record
(date, hours credited, certificate code), when every lesson is done.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Room
from alliances.services.rooms import room_member_add
from platform_core.audit.services import audit_record

from .. import events, permissions
from ..models import Course, Enrolment, Lesson, LessonDone, QuizAttempt
from .common import notify, require


def enrol(*, actor, course: Course, ip_address: str | None = None) -> Enrolment:
    """Enrol `actor` (again: the same enrolment). They join the rooms of the course's live sessions."""
    with transaction.atomic():
        # The course as it is now: one published a moment ago, or unpublished, is judged afresh.
        course = Course.objects.select_for_update().get(pk=course.pk)
        require(
            permissions.can_enrol(actor, course),
            _("Only a signed-in member may enrol, in a published course."),
        )
        enrolment, created = Enrolment.objects.get_or_create(course=course, user=actor)
        if created:
            _join_session_rooms(course, actor)
            audit_record(actor=actor, action=events.ENROLLED, target=course, ip_address=ip_address)
    return enrolment


def _join_session_rooms(course: Course, user) -> None:
    for room in Room.objects.filter(pk__in=course.sessions.values("room_id")):
        room_member_add(room=room, user=user)


def _enrolment(actor, lesson: Lesson) -> Enrolment:
    require(permissions.can_read_lesson(actor, lesson), _("Sign in to follow this course."))
    enrolment = (
        Enrolment.objects.filter(course_id=lesson.course_id, user=actor).first()
        if actor.is_authenticated
        else None
    )
    if enrolment is None:
        raise ValidationError(_("Enrol in the course first."))
    return enrolment


def lesson_mark_done(*, actor, lesson: Lesson) -> Enrolment:
    enrolment = _enrolment(actor, lesson)
    if lesson.questions.exists():
        raise ValidationError(_("Pass this lesson's quiz to finish it."))
    with transaction.atomic():
        LessonDone.objects.get_or_create(enrolment=enrolment, lesson=lesson)
        return complete_if_done(enrolment)


@dataclass(frozen=True)
class QuizResult:
    score: int
    passed: bool
    pass_mark: int
    # question id -> whether it was answered right (which answers were right is not told).
    right: dict[int, bool]
    enrolment: Enrolment


def _chosen(answers: dict, questions) -> dict[int, set[int]]:
    """The submitted choices per question, each a choice of that question; a single-choice
    question answered twice is refused."""
    chosen: dict[int, set[int]] = {}
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk), []))
        if isinstance(raw, (int, str)):
            raw = [raw]
        if not isinstance(raw, (list, tuple)):
            raise ValidationError({"answers": _("Answer with the ids of your choices.")})
        ids: set[int] = set()
        for value in raw:
            try:
                ids.add(int(value))
            except (TypeError, ValueError):
                raise ValidationError({"answers": _("Answer with the ids of your choices.")}) from None
        valid = {choice.pk for choice in question.choices.all()}
        if not ids <= valid:
            raise ValidationError({"answers": _("An answer does not belong to its question.")})
        if not question.multiple and len(ids) > 1:
            raise ValidationError({"answers": _("Choose one answer for a single-choice question.")})
        chosen[question.pk] = ids
    return chosen


def quiz_submit(*, actor, lesson: Lesson, answers: dict) -> QuizResult:
    """Mark a submission on the server: a question is right when exactly its right answers are
    chosen; the score is the share of questions right, passed at the lesson's pass mark. A pass
    marks the lesson done (and may complete the course)."""
    enrolment = _enrolment(actor, lesson)
    questions = list(lesson.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(_("This lesson has no quiz."))
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Answer with the ids of your choices.")})
    chosen = _chosen(answers, questions)
    right = {
        question.pk: chosen[question.pk] == {choice.pk for choice in question.choices.all() if choice.correct}
        for question in questions
    }
    score = round(100 * sum(right.values()) / len(questions))
    passed = score >= lesson.pass_mark
    with transaction.atomic():
        QuizAttempt.objects.create(
            enrolment=enrolment,
            lesson=lesson,
            score=score,
            passed=passed,
            answers={str(pk): sorted(ids) for pk, ids in chosen.items()},
        )
        if passed:
            LessonDone.objects.get_or_create(enrolment=enrolment, lesson=lesson)
            enrolment = complete_if_done(enrolment)
    return QuizResult(
        score=score, passed=passed, pass_mark=lesson.pass_mark, right=right, enrolment=enrolment
    )


def complete_if_done(enrolment: Enrolment) -> Enrolment:
    """Give the completion record once every lesson of the course is done."""
    with transaction.atomic():
        # Lock the enrolment: two lessons finished at once must complete the course once.
        enrolment = (
            Enrolment.objects.select_for_update().select_related("course", "user").get(pk=enrolment.pk)
        )
        if enrolment.is_complete:
            return enrolment
        lessons = set(enrolment.course.lessons.values_list("pk", flat=True))
        done = set(enrolment.done.values_list("lesson_id", flat=True))
        if not lessons or not lessons <= done:
            return enrolment
        enrolment.completed_at = timezone.now()
        enrolment.hours = enrolment.course.hours
        for _attempt in range(5):
            enrolment.certificate_code = secrets.token_hex(8).upper()
            try:
                with transaction.atomic():
                    enrolment.save(update_fields=["completed_at", "hours", "certificate_code"])
                break
            except IntegrityError:  # the code is taken (one in 2^64): draw again
                continue
        audit_record(
            actor=enrolment.user,
            action=events.COURSE_COMPLETED,
            target=enrolment.course,
            data={"hours": enrolment.hours, "certificate": enrolment.certificate_code},
        )
        course = enrolment.course
        notify(
            [enrolment.user],
            kind=events.COURSE_COMPLETED,
            title=lambda: (
                _("You completed “%(title)s”: %(hours)d hours")
                % {"title": course.title, "hours": course.hours}
            ),
            url=f"/learning/certificates/{enrolment.certificate_code}/",
        )
    return enrolment
