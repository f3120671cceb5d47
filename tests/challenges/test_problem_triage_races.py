"""Merging and drafting problems lock every row they read, in one order: no merge cycle, no merge
across units, no deadlock; the merge notice names no other problem."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from challenges.models import Problem
from challenges.services import problems
from platform_core.notifications.models import Notification

from .conftest import challenge_fields


def _problem(actor, unit, title):
    return problems.problem_submit(actor=actor, unit=unit, title=title, description="d")


def test_two_opposite_merges_read_with_stale_targets_make_no_cycle(world):
    cast = world.cast
    a = _problem(cast.member, cast.unit_a, "A")
    b = _problem(cast.member, cast.unit_a, "B")
    # Two requests each loaded their `into` before either merge committed.
    a_as_seen, b_as_seen = Problem.objects.get(pk=a.pk), Problem.objects.get(pk=b.pk)
    problems.problem_merge(actor=cast.poster, problem=a, into=b_as_seen)
    with pytest.raises(ValidationError):
        problems.problem_merge(actor=cast.admin, problem=b, into=a_as_seen)
    b.refresh_from_db()
    assert b.status == Problem.Status.OPEN and b.merged_into_id is None


def test_a_problem_is_not_merged_into_one_of_another_unit(world):
    cast = world.cast  # admin covers group G: units A and B
    a = _problem(cast.member, cast.unit_a, "A的问题")
    b = _problem(cast.leader2, cast.unit_b, "B单位机密问题")
    with pytest.raises(ValidationError):
        problems.problem_merge(actor=cast.admin, problem=a, into=b)
    a.refresh_from_db()
    assert a.status == Problem.Status.OPEN


def test_the_merge_notice_does_not_quote_the_other_problems_title(world):
    cast = world.cast
    a = _problem(cast.member, cast.unit_a, "我的问题")
    b = _problem(cast.poster, cast.unit_a, "别人的问题标题")
    problems.problem_merge(actor=cast.admin, problem=a, into=b)
    notice = Notification.objects.get(recipient=cast.member, kind="problem.merged")
    assert "别人的问题标题" not in f"{notice.title} {notice.body}"


def test_drafting_the_same_problems_in_opposite_orders_does_not_deadlock(tworld, require_postgres):
    cast = tworld.cast
    a = _problem(cast.member, cast.unit_a, "A")
    b = _problem(cast.member, cast.unit_a, "B")
    # Each thread pauses after checking its first locked problem, until the other got as far (or
    # two seconds passed): with one lock per problem taken in the caller's order, each would then
    # wait for the row the other holds.
    barrier = threading.Barrier(2, timeout=2)
    original = problems._check_open
    seen = threading.local()

    def pausing_check_open(actor, problem):
        checked = original(actor, problem)
        seen.count = getattr(seen, "count", 0) + 1
        if seen.count == 1:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return checked

    errors: list[BaseException] = []

    def draft(actor, order):
        try:
            problems.challenge_draft_from_problems(
                actor=actor, problems=[Problem.objects.get(pk=p.pk) for p in order], **challenge_fields()
            )
        except BaseException as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    problems._check_open = pausing_check_open
    try:
        threads = [
            threading.Thread(target=draft, args=(cast.poster, [a, b])),
            threading.Thread(target=draft, args=(cast.admin, [b, a])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        problems._check_open = original
    assert not any("deadlock" in str(error).lower() for error in errors), errors
    # One draft won; the other found the problems already triaged.
    assert Problem.objects.filter(status=Problem.Status.DRAFTED).count() == 2
    assert [type(error) for error in errors] == [ValidationError]
