"""The periodic job's work: close bidding at the deadline, remind 24 hours ahead, flag overdue milestones.

Each reminder is recorded in ReminderSent before it is sent, in the same transaction: the unique
constraint on (challenge, kind, subject, recipient, due) lets only one of two overlapping runners
insert the row, and the other skips the reminder. No check-then-insert.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.i18n import platform_language
from platform_core.notifications.services import Text
from platform_core.periodic import database_now

from .. import events
from ..lifecycle import State
from ..models import Bid, Challenge, Milestone, ReminderSent
from .challenges import challenge_close_due_bidding
from .common import challenge_url, notify

DEADLINE_NOTICE = datetime.timedelta(hours=24)


def _send_once(*, challenge: Challenge, kind: str, subject: str, recipient, due, title: Text) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                challenge=challenge, kind=kind, subject=subject, recipient=recipient, due=due
            )
            notify(
                [recipient],
                kind=events.REMINDER_NOTICES[kind],
                title=title,
                url=challenge_url(challenge),
            )
    except IntegrityError:
        return False
    return True


# The titles are built per language by notify; these bind the loop's current objects to them.
def _deadline_title(challenge: Challenge, deadline: datetime.datetime) -> Text:
    return lambda: (
        _("Bidding on “%(title)s” closes at %(time)s")
        % {
            "title": challenge.title,
            "time": deadline.strftime("%Y-%m-%d %H:%M"),
        }
    )


def _overdue_title(milestone: Milestone) -> Text:
    return lambda: (
        _("Milestone “%(milestone)s” of “%(title)s” is overdue")
        % {
            "milestone": milestone.title,
            "title": milestone.challenge.title,
        }
    )


def _deadline_reminders(now: datetime.datetime) -> int:
    sent = 0
    soon = Challenge.objects.filter(
        state=State.PUBLISHED, bidding_deadline__gt=now, bidding_deadline__lte=now + DEADLINE_NOTICE
    ).select_related("poster")
    for challenge in soon:
        bids = challenge.bids.filter(status=Bid.Status.SUBMITTED).select_related(
            "studio__leader", "team__lead"
        )
        recipients = [challenge.poster] + [bid.lead for bid in bids]
        deadline = timezone.localtime(challenge.bidding_deadline)
        with platform_language():
            title = _deadline_title(challenge, deadline)
            for recipient in {user.pk: user for user in recipients}.values():
                sent += _send_once(
                    challenge=challenge,
                    kind=events.REMINDER_DEADLINE,
                    subject="",
                    recipient=recipient,
                    due=challenge.bidding_deadline,
                    title=title,
                )
    return sent


def _overdue_milestones(now: datetime.datetime) -> int:
    sent = 0
    today = timezone.localdate(now)
    overdue = Milestone.objects.filter(
        challenge__state=State.IN_PROGRESS,
        bid__status=Bid.Status.WON,
        due_date__lt=today,
        status__in=[Milestone.Status.PENDING, Milestone.Status.RETURNED],
    ).select_related("challenge__poster", "bid__studio__leader", "bid__team__lead")
    for milestone in overdue:
        bid = milestone.bid
        due = timezone.make_aware(datetime.datetime.combine(milestone.due_date, datetime.time()))
        with platform_language():
            title = _overdue_title(milestone)
            for recipient in (
                bid.lead,
                milestone.challenge.poster,
            ):
                sent += _send_once(
                    challenge=milestone.challenge,
                    kind=events.REMINDER_MILESTONE_OVERDUE,
                    subject=f"milestone:{milestone.pk}",
                    recipient=recipient,
                    due=due,
                    title=title,
                )
    return sent


def challenge_send_due_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """One pass of the periodic job. `now` defaults to the database clock."""
    closed = challenge_close_due_bidding()
    now = now or database_now()
    return {
        "closed": closed,
        "deadline_reminders": _deadline_reminders(now),
        "overdue_reminders": _overdue_milestones(now),
    }
