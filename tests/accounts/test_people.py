"""Finding people by name and unit (the people picker): the selector and /api/v1/people/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.accounts.selectors import PEOPLE_LIMIT, people_search
from tests.cast import ROLES
from tests.conftest import as_user
from tests.events import make_user


def _names(people) -> set[str]:
    return {person.username for person in people}


def test_people_are_found_by_name_username_or_unit_and_every_word_counts(cast):
    make_user("zhangwei", cast.unit_c, display_name="张伟")
    assert _names(people_search(cast.outsider, "张伟")) == {"zhangwei"}
    assert _names(people_search(cast.outsider, "zhang")) == {"zhangwei"}
    assert {"poster", "leader1", "member"} <= _names(people_search(cast.outsider, "单位A"))
    # Every word must match somewhere: a name and a unit narrow down together.
    assert _names(people_search(cast.outsider, "张 单位C")) == {"zhangwei"}
    assert _names(people_search(cast.outsider, "张 单位A")) == set()


def test_nobody_is_found_for_the_anonymous_or_an_empty_query(cast):
    assert people_search(AnonymousUser(), "leader") == []
    assert people_search(cast.outsider, "   ") == []


def test_inactive_accounts_are_not_suggested(cast):
    make_user("gone1", cast.unit_a, is_active=False)
    assert "gone1" not in _names(people_search(cast.poster, "gone"))


def test_suggestions_are_bounded_and_cost_one_query_however_many_match(cast):
    for n in range(PEOPLE_LIMIT + 5):
        make_user(f"worker{n:02d}", cast.unit_b)
    with CaptureQueriesContext(connection) as queries:
        found = people_search(cast.poster, "worker")
    assert len(found) == PEOPLE_LIMIT and len(queries) == 1


def test_an_exact_username_comes_first_even_among_many_matches(cast):
    for n in range(PEOPLE_LIMIT + 5):
        make_user(f"li{n:02d}", cast.unit_b, display_name=f"A李{n}")
    make_user("li", cast.unit_b, display_name="Z李")
    assert people_search(cast.poster, "li")[0].username == "li"


@pytest.mark.parametrize("role", ROLES)
def test_every_logged_in_member_gets_names_and_units_and_nothing_private(api, cast, role):
    response = as_user(api, getattr(cast, role)).get("/api/v1/people/", {"q": "leader1"})
    assert response.status_code == 200
    [person] = response.json()
    assert person == {"id": cast.leader1.pk, "username": "leader1", "name": "LEADER1", "unit": "单位A"}


def test_the_anonymous_are_refused(api, cast):
    response = api.get("/api/v1/people/", {"q": "leader1"})
    assert response.status_code in (401, 403)
    assert "leader1" not in response.content.decode()
