"""Quizzes are marked on the server and their answers never reach the client before submission;
lessons are done in any order; every lesson done (quizzes passed) completes the course once, with
its date, hours and a certificate verifiable by its code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliances.learning.events import COURSE_COMPLETED
from alliances.learning.models import Enrolment, LessonDone, QuizAttempt
from alliances.learning.services import courses, progress
from platform_core.notifications.models import Notification
from tests.learning.world import add_quiz, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(cast):
    course = make_course(cast, publish=False)
    second = courses.lesson_add(actor=cast.leader1, course=course, title="第二课", body="内容")
    quiz_lesson = courses.lesson_add(actor=cast.leader1, course=course, title="测验", body="内容")
    question = courses.question_add(
        actor=cast.leader1,
        lesson=quiz_lesson,
        text="哪些是绝缘工具？",
        multiple=True,
        choices=[("绝缘手套", True), ("绝缘杆", True), ("钢丝钳", False)],
    )
    single, right = add_quiz(cast.leader1, quiz_lesson)
    courses.course_publish(actor=cast.leader1, course=course)
    course.refresh_from_db()
    return {"course": course, "first": course.lessons.get(position=1), "second": second,
            "quiz": quiz_lesson, "multi": question, "single": single, "right": right}  # fmt: skip


def answers_right(c) -> dict:
    multi = [choice.pk for choice in c["multi"].choices.filter(correct=True)]
    return {c["multi"].pk: multi, c["single"].pk: [c["right"].pk]}


def test_a_question_is_right_only_with_exactly_its_right_answers(cast, course):
    progress.enrol(actor=cast.member, course=course["course"])
    multi = list(course["multi"].choices.filter(correct=True))
    half = {course["multi"].pk: [multi[0].pk], course["single"].pk: [course["right"].pk]}
    result = progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=half)
    assert result.score == 50 and not result.passed and result.right[course["multi"].pk] is False
    assert not LessonDone.objects.filter(lesson=course["quiz"]).exists()
    result = progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=answers_right(course))
    assert result.score == 100 and result.passed
    assert QuizAttempt.objects.filter(lesson=course["quiz"]).count() == 2


def test_the_pass_mark_decides(cast, course):
    courses.lesson_update(actor=cast.leader1, lesson=course["quiz"], title="测验", body="内容", pass_mark=50)
    course["quiz"].refresh_from_db()
    progress.enrol(actor=cast.member, course=course["course"])
    half = {course["single"].pk: [course["right"].pk]}
    assert progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=half).passed


@pytest.mark.parametrize(
    "bad",
    [
        {"multi": "other"},  # a choice of another question
        {"single": "two"},  # two answers to a single-choice question
        "not a dict",
    ],
)
def test_malformed_answers_are_refused(cast, course, bad):
    progress.enrol(actor=cast.member, course=course["course"])
    if bad == "not a dict":
        answers = ["x"]
    elif bad == {"multi": "other"}:
        answers = {course["multi"].pk: [course["right"].pk]}
    else:
        answers = {course["single"].pk: list(course["single"].choices.values_list("pk", flat=True))}
    with pytest.raises(ValidationError):
        progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=answers)
    assert not QuizAttempt.objects.exists()


def test_a_quiz_lesson_is_done_only_by_passing_it(cast, course):
    progress.enrol(actor=cast.member, course=course["course"])
    with pytest.raises(ValidationError):
        progress.lesson_mark_done(actor=cast.member, lesson=course["quiz"])


def test_progress_needs_an_enrolment(cast, course):
    with pytest.raises(ValidationError):
        progress.lesson_mark_done(actor=cast.member, lesson=course["first"])
    with pytest.raises(ValidationError):
        progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=answers_right(course))


def test_lessons_in_any_order_complete_the_course_once_with_date_hours_and_code(cast, course):
    progress.enrol(actor=cast.member, course=course["course"])
    progress.quiz_submit(actor=cast.member, lesson=course["quiz"], answers=answers_right(course))
    progress.lesson_mark_done(actor=cast.member, lesson=course["second"])
    enrolment = progress.lesson_mark_done(actor=cast.member, lesson=course["first"])
    assert enrolment.is_complete and enrolment.hours == 4 and len(enrolment.certificate_code) == 16
    code = enrolment.certificate_code
    # Done again: the same record, not a second one.
    again = progress.lesson_mark_done(actor=cast.member, lesson=course["first"])
    assert (
        again.certificate_code == code and Enrolment.objects.filter(completed_at__isnull=False).count() == 1
    )
    assert Notification.objects.filter(recipient=cast.member, kind=COURSE_COMPLETED).count() == 1


def test_the_certificate_is_public_and_verifiable_by_its_code(client, cast, world):
    code = world.completion.certificate_code
    response = client.get(reverse("learning:certificate", args=[code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert cast.member.display_name in html and world.course.title in html and cast.studio1.name in html
    assert code in html and "@media print" not in html  # print rules live in the stylesheet
    assert client.get(reverse("learning:certificate", args=["0000000000000000"])).status_code == 404


def test_the_correct_answers_are_never_sent_before_submission(client, cast, world):
    wrong = world.question.choices.get(correct=False)
    client.force_login(cast.leader2)
    progress.enrol(actor=cast.leader2, course=world.course)
    page = client.get(reverse("learning:lesson", args=[world.quiz_lesson.pk])).content.decode()
    assert world.right.text in page and wrong.text in page
    assert "correct" not in page.lower()
    api = client.get(reverse("api-lesson", args=[world.quiz_lesson.pk])).json()
    (question,) = api["questions"]
    assert question["choices"] == [{"id": c.pk, "text": c.text} for c in world.question.choices.all()]
    assert "correct" not in str(api)
