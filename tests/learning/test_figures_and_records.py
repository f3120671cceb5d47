"""Members trained and their hours per studio reach the studio page and its assessment through the
core's figures registry; a member's learning record lists courses and hours; the catalogue and the
record pages cost a bounded number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.learning.services import progress
from platform_core.orgs.figures import registered_studio_figures, studio_domain_figures
from platform_core.orgs.standards import Standard
from tests.learning.world import make_course

pytestmark = pytest.mark.django_db


def test_the_figures_are_registered_as_talent_evidence():
    figures = {figure.key: figure for figure in registered_studio_figures()}
    assert figures["members_trained"].standard == Standard.TALENT
    assert figures["training_hours"].standard == Standard.TALENT


def test_members_trained_and_hours_per_studio(cast, world):
    values = studio_domain_figures([cast.studio1.pk, cast.studio2.pk])
    assert values[cast.studio1.pk]["members_trained"] == 1
    assert values[cast.studio1.pk]["training_hours"] == 4
    assert values[cast.studio2.pk]["members_trained"] == 0
    # leader1 (a member of studio1) completes a second course: two people, eight hours.
    other = make_course(cast, title="焊接入门", author=cast.admin)
    progress.enrol(actor=cast.leader1, course=other)
    progress.lesson_mark_done(actor=cast.leader1, lesson=other.lessons.get())
    values = studio_domain_figures([cast.studio1.pk])
    assert values[cast.studio1.pk] == {**values[cast.studio1.pk], "members_trained": 2, "training_hours": 8}


def test_the_studio_page_shows_them(client, cast, world):
    client.force_login(cast.member)
    html = client.get(reverse("studios:detail", args=[cast.studio1.pk])).content.decode()
    assert 'data-figure="members_trained"' in html and 'data-figure="training_hours"' in html


def test_the_learning_record_lists_courses_and_hours(client, cast, world):
    client.force_login(cast.member)
    html = client.get(reverse("learning:record")).content.decode()
    assert world.course.title in html and world.completion.certificate_code in html
    assert "data-record-totals" in html


def _many_courses(cast, count: int) -> None:
    for index in range(count):
        course = make_course(cast, title=f"课程{index}")
        progress.enrol(actor=cast.member, course=course)


def test_the_catalogue_costs_the_same_for_3_and_12_courses(client, cast, django_assert_max_num_queries):
    _many_courses(cast, 3)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning:catalogue")).status_code == 200
    _many_courses(cast, 9)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning:catalogue") + "?q=课程").status_code == 200


def test_the_learning_record_costs_the_same_for_3_and_12_courses(client, cast, django_assert_max_num_queries):
    client.force_login(cast.member)
    _many_courses(cast, 3)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning:record")).status_code == 200
    _many_courses(cast, 9)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning:record")).status_code == 200
