"""Reminders of naming rounds, sent by the periodic job (platform_core/orgs/periodic.py): a leader
whose self-assessment is still to submit when self-assessments close within REMIND_DAYS, an expert
with studios left to score when scoring closes within REMIND_DAYS. Each is recorded under a unique
constraint before it is sent, so two runners send it once."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.i18n import platform_language
from platform_core.notifications.services import notify

from ..standards import Standard
from . import events
from .models import NamingReminder, NamingRound, NamingScore, Nomination
from .services import nomination_url, round_url

REMIND_DAYS = 3


def _record(round: NamingRound, user, kind: str) -> bool:
    """Whether this reminder is new (and now recorded)."""
    try:
        with transaction.atomic():
            NamingReminder.objects.create(round=round, user=user, kind=kind)
    except IntegrityError:
        return False
    return True


def naming_send_due_reminders(*, now: datetime.datetime) -> dict[str, int]:
    today = timezone.localdate(now)
    soon = today + datetime.timedelta(days=REMIND_DAYS)
    sent = {"assessment_reminders": 0, "scoring_reminders": 0}
    due = Nomination.objects.filter(
        status=Nomination.Status.NOMINATED,
        round__status=NamingRound.Status.NOMINATING,
        round__assessment_close_on__gte=today,
        round__assessment_close_on__lte=soon,
    ).select_related("round", "studio__leader")
    for nomination in due:
        round, studio = nomination.round, nomination.studio
        if _record(round, studio.leader, NamingReminder.Kind.ASSESSMENT_DUE):
            with platform_language():
                notify(
                    [studio.leader],
                    kind=events.REMINDER,
                    title=lambda: (
                        _("Submit the self-assessment of %(studio)s by %(date)s")
                        % {"studio": studio.name, "date": round.assessment_close_on.isoformat()}  # noqa: B023
                    ),
                    url=nomination_url(nomination),
                )
            sent["assessment_reminders"] += 1
    scoring = NamingRound.objects.filter(
        status=NamingRound.Status.SCORING, scoring_close_on__gte=today, scoring_close_on__lte=soon
    )
    for round in scoring:
        submitted = list(round.nominations.filter(status=Nomination.Status.SUBMITTED))
        for expert in round.experts.all():
            to_score = [n for n in submitted if not n.recusals.filter(expert=expert).exists()]
            scored = NamingScore.objects.filter(nomination__in=to_score, expert=expert).count()
            if scored >= len(to_score) * len(Standard.values):
                continue
            if _record(round, expert, NamingReminder.Kind.SCORING_DUE):
                with platform_language():
                    notify(
                        [expert],
                        kind=events.REMINDER,
                        title=lambda: (
                            _("Scoring in “%(round)s” closes on %(date)s")
                            % {"round": round.title, "date": round.scoring_close_on.isoformat()}  # noqa: B023
                        ),
                        url=round_url(round),
                    )
                sent["scoring_reminders"] += 1
    return sent
