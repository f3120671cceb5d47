"""Who sees and does what with courses, for every role the issue names (anonymous, member, the
leader of another studio, an expert, a union admin) and the rest of the cast; the catalogue's
filter and its predicate agree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.learning import permissions
from alliances.learning.models import Course, Lesson
from alliances.learning.services import courses, progress
from tests.cast import ROLES

pytestmark = pytest.mark.django_db

EDITORS = {"superadmin", "admin", "admin2", "leader1"}


def people(cast) -> dict:
    return {"anonymous": AnonymousUser(), **cast.everyone()}


def test_the_catalogue_filter_and_predicate_agree_for_every_role(cast, world):
    for name, user in people(cast).items():
        for course in (world.course, world.draft):
            listed = Course.objects.filter(permissions.courses_visible_filter(user), pk=course.pk).exists()
            assert listed == permissions.can_see_course(user, course), (name, course)
        for lesson in (world.lesson, world.draft_lesson):
            listed = Lesson.objects.filter(permissions.lessons_visible_filter(user), pk=lesson.pk).exists()
            assert listed == permissions.can_read_lesson(user, lesson), (name, lesson)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_a_published_course_is_public_and_a_draft_is_its_editors(cast, world, role):
    user = people(cast)[role]
    assert permissions.can_see_course(user, world.course)
    assert permissions.can_see_course(user, world.draft) == (role in EDITORS)
    assert permissions.can_edit_course(user, world.course) == (role in EDITORS)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_lessons_need_an_account(cast, world, role):
    user = people(cast)[role]
    assert permissions.can_read_lesson(user, world.lesson) == (role != "anonymous")


def test_who_may_publish_and_as_whom(cast):
    assert permissions.publisher_choices(cast.leader1) == [(f"studio:{cast.studio1.pk}", cast.studio1.name)]
    assert [key for key, _label in permissions.publisher_choices(cast.expert)] == ["expert"]
    assert [key for key, _label in permissions.publisher_choices(cast.admin)] == ["union"]
    assert permissions.publisher_choices(cast.member) == []
    assert permissions.publisher_choices(AnonymousUser()) == []


@pytest.mark.parametrize(
    ("role", "publisher", "studio", "allowed"),
    [
        ("leader1", "studio", "studio1", True),
        ("leader2", "studio", "studio1", False),  # the leader of another studio
        ("member", "studio", "studio1", False),
        ("expert", "expert", None, True),
        ("member", "expert", None, False),
        ("admin", "union", None, True),
        ("leader1", "union", None, False),
    ],
)
def test_course_create_checks_who_publishes_as_whom(cast, role, publisher, studio, allowed):
    def create():
        return courses.course_create(
            actor=getattr(cast, role),
            publisher=publisher,
            studio=getattr(cast, studio) if studio else None,
            title="安全生产",
            summary="要点",
            hours=2,
        )

    if allowed:
        course = create()
        assert course.state == Course.State.DRAFT and course.author == getattr(cast, role)
    else:
        with pytest.raises(PermissionDenied):
            create()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_and_union_admins_edit(cast, world, role):
    user = getattr(cast, role)
    data = {"title": "新标题", "summary": "新简介", "hours": 3}
    if role in EDITORS:
        assert courses.course_update(actor=user, course=world.course, **data).title == "新标题"
    else:
        with pytest.raises(PermissionDenied):
            courses.course_update(actor=user, course=world.course, **data)


def test_a_course_without_lessons_cannot_be_published(cast):
    course = courses.course_create(actor=cast.admin, publisher="union", title="空课程", summary="无", hours=1)
    with pytest.raises(ValidationError):
        courses.course_publish(actor=cast.admin, course=course)


def test_nobody_enrols_in_a_draft(cast, world):
    with pytest.raises(PermissionDenied):
        progress.enrol(actor=cast.leader1, course=world.draft)
    with pytest.raises(PermissionDenied):
        progress.enrol(actor=AnonymousUser(), course=world.course)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("member", True), ("leader1", True), ("admin", True), ("superadmin", True), ("admin2", False),
     ("leader2", False), ("expert", False), ("outsider", False)],
)  # fmt: skip
def test_who_reads_a_members_learning_record(cast, role, allowed):
    assert permissions.can_view_record(getattr(cast, role), cast.member) == allowed
    assert not permissions.can_view_record(AnonymousUser(), cast.member)
