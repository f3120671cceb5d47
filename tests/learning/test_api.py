"""The API: the same selectors and services as the pages (enrol, progress, lessons done, quiz)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import as_user

pytestmark = pytest.mark.django_db


def test_enrol_progress_and_quiz_through_the_api(api, cast, world):
    as_user(api, cast.leader2)
    course_url = reverse("api-course", args=[world.course.pk])
    assert api.get(course_url).json()["can_enrol"] is True
    assert api.post(reverse("api-course-enrol", args=[world.course.pk])).status_code == 201
    api.post(reverse("api-lesson-done", args=[world.lesson.pk]))
    detail = api.get(course_url).json()
    assert detail["progress"] == 50 and detail["enrolment"]["completed_at"] is None
    wrong = world.question.choices.get(correct=False)
    failed = api.post(
        reverse("api-lesson-quiz", args=[world.quiz_lesson.pk]),
        {"answers": {str(world.question.pk): [wrong.pk]}},
        format="json",
    ).json()
    assert failed["passed"] is False and failed["score"] == 0
    passed = api.post(
        reverse("api-lesson-quiz", args=[world.quiz_lesson.pk]),
        {"answers": {str(world.question.pk): [world.right.pk]}},
        format="json",
    ).json()
    assert passed["passed"] is True and passed["course_completed"] is True
    (row,) = api.get(reverse("api-enrolments")).json()["results"]
    assert row["hours"] == 4 and row["certificate_url"].startswith("/learning/certificates/")


def test_anonymous_sees_the_catalogue_and_lesson_titles_not_lessons(api, world):
    assert api.get(reverse("api-courses")).status_code == 200
    detail = api.get(reverse("api-course", args=[world.course.pk])).json()
    assert [lesson["title"] for lesson in detail["lessons"]] == ["绝缘防护", "课后测验"]
    assert "kind" not in detail["lessons"][0]
    assert api.get(reverse("api-lesson", args=[world.lesson.pk])).status_code == 403


def test_a_draft_is_the_same_404_as_a_missing_course(api, cast, world):
    as_user(api, cast.member)
    draft = api.get(reverse("api-course", args=[world.draft.pk]))
    missing = api.get(reverse("api-course", args=[999999]))
    assert draft.status_code == missing.status_code == 404
    assert draft.json() == missing.json()


def test_a_lesson_with_an_unknown_video_is_refused(api, cast, world):
    as_user(api, cast.leader1)
    response = api.post(
        reverse("api-course-lessons", args=[world.course.pk]),
        {"title": "视频课", "kind": "video", "media_id": "not-a-uuid"},
        format="json",
    )
    assert response.status_code == 400
