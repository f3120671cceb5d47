"""Courses are found by a 2-character Chinese word in the title, the summary or a lesson's title
(the gram index), on the catalogue, its API and the alliance's knowledge registry; drafts stay
hidden from who may not see them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from alliances.knowledge import kind
from alliances.learning.services import courses
from tests.learning.world import make_course

pytestmark = pytest.mark.django_db


def test_a_two_character_word_finds_the_course_anonymously(client, cast, world):
    html = client.get(reverse("learning:catalogue") + "?q=带电").content.decode()
    assert world.course.title in html
    assert client.get(reverse("learning:catalogue") + "?q=带电").status_code == 200
    assert world.course.title not in client.get(reverse("learning:catalogue") + "?q=焊缝").content.decode()


def test_a_lesson_title_finds_its_course(client, cast, world):
    courses.lesson_add(actor=cast.leader1, course=world.course, title="登杆作业要领", body="要领")
    results = client.get(reverse("api-courses") + "?q=登杆").json()["results"]
    assert [row["id"] for row in results] == [world.course.pk]


def test_the_draft_is_not_found_by_others(client, cast, world):
    assert world.draft.title not in client.get(reverse("learning:catalogue") + "?q=焊接").content.decode()
    client.force_login(cast.leader1)
    assert world.draft.title in client.get(reverse("learning:catalogue") + "?q=焊接").content.decode()


def test_the_field_facet_filters(client, cast, world):
    make_course(cast, title="焊接入门", author=cast.admin)
    html = client.get(reverse("learning:catalogue") + "?field=带电作业").content.decode()
    assert world.course.title in html


def test_the_course_knowledge_kind(cast, world):
    course_kind = kind("course")
    assert course_kind is not None
    visible = course_kind.visible(AnonymousUser())
    assert list(course_kind.index.matching(visible, "带电")) == [world.course]
    assert world.draft not in visible
    hit = course_kind.hit(world.course, "带电")
    assert "<mark>带电</mark>" in hit.title and hit.url == f"/learning/{world.course.pk}/"
    assert hit.fields == ("带电作业",)
