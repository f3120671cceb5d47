"""The periodic job: 24-hour deadline reminders and overdue milestones, each sent once even when
two runners overlap (the unique constraint decides, not a check-then-insert)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from challenges.models import Challenge, Milestone, ReminderSent
from challenges.services.reminders import challenge_send_due_reminders
from platform_core.notifications.models import Notification


def _closing_tomorrow(world) -> Challenge:
    challenge = world.published()
    world.bid(challenge, "leader1")
    Challenge.objects.filter(pk=challenge.pk).update(
        bidding_deadline=timezone.now() + datetime.timedelta(hours=20)
    )
    return challenge


def test_deadline_reminders_go_to_the_poster_and_bidders_once(world):
    _closing_tomorrow(world)
    first = challenge_send_due_reminders()
    second = challenge_send_due_reminders()
    assert first["deadline_reminders"] == 2 and second["deadline_reminders"] == 0
    assert Notification.objects.filter(kind="reminder.deadline_24h").count() == 2
    assert set(
        Notification.objects.filter(kind="reminder.deadline_24h").values_list("recipient", flat=True)
    ) == {
        world.cast.poster.pk,
        world.cast.leader1.pk,
    }


def test_a_deadline_moved_later_is_reminded_again(world):
    challenge = _closing_tomorrow(world)
    challenge_send_due_reminders()
    Challenge.objects.filter(pk=challenge.pk).update(
        bidding_deadline=timezone.now() + datetime.timedelta(hours=23)
    )
    assert challenge_send_due_reminders()["deadline_reminders"] == 2


def test_overdue_milestones_are_flagged_to_the_team_and_the_poster_once(world):
    challenge = world.in_state("in_progress")
    Milestone.objects.filter(challenge=challenge, position=1).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert challenge_send_due_reminders()["overdue_reminders"] == 2
    assert challenge_send_due_reminders()["overdue_reminders"] == 0
    recipients = set(
        Notification.objects.filter(kind="reminder.milestone_overdue").values_list("recipient", flat=True)
    )
    assert recipients == {world.cast.leader2.pk, world.cast.poster.pk}


def test_the_command_runs_one_pass(world):
    _closing_tomorrow(world)
    call_command("run_periodic", "--once", verbosity=0)
    assert ReminderSent.objects.count() == 2


@pytest.mark.postgres
def test_two_overlapping_runners_send_each_reminder_once(require_postgres, tworld):
    for _ in range(3):
        _closing_tomorrow(tworld)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def runner():
        try:
            barrier.wait(5)
            challenge_send_due_reminders()
        except BaseException as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Three challenges, each with its poster and leader1: six reminders, each sent once.
    assert ReminderSent.objects.count() == 6
    assert Notification.objects.filter(kind="reminder.deadline_24h").count() == 6
