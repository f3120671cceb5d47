"""The demo courses: two published courses, one with a quiz and a live session, one with a video
lesson with captions; member2 part-way through; idempotent."""

from __future__ import annotations

import pytest

from alliances.learning.demo import EXPERT_COURSE, STUDIO_COURSE
from alliances.learning.models import Course, Enrolment, Lesson, Question
from platform_core.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_courses_and_can_run_twice(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    seed_demo()
    studio_course = Course.objects.get(title=STUDIO_COURSE)
    expert_course = Course.objects.get(title=EXPERT_COURSE)
    assert studio_course.is_published and expert_course.is_published
    assert Question.objects.filter(lesson__course=studio_course).count() == 2
    assert studio_course.sessions.count() == 1
    video = Lesson.objects.get(course=expert_course, kind=Lesson.Kind.VIDEO)
    assert video.media.is_ready and video.captions.is_ready
    assert video.media.file.read(4) == b"\x1a\x45\xdf\xa3"  # an EBML (WebM) header
    (enrolment,) = Enrolment.objects.filter(course=studio_course)
    assert enrolment.user.username == "member2" and not enrolment.is_complete
    assert enrolment.done.count() == 1
    counts = (Course.objects.count(), Lesson.objects.count(), Enrolment.objects.count())
    seed_demo()
    assert (Course.objects.count(), Lesson.objects.count(), Enrolment.objects.count()) == counts
