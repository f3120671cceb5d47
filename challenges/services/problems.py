"""Problem collection (问题收集) and triage into challenge drafts (课题立项)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.orgs.models import Unit

from .. import events, permissions
from ..models import Challenge, Problem
from .challenges import challenge_create
from .common import challenge_url, notify, required_text, verbatim


def problem_submit(
    *,
    actor,
    unit: Unit,
    title: str,
    description: str,
    urgency: str = Problem.Urgency.NORMAL,
    ip_address: str | None = None,
) -> Problem:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to submit a problem."))
    if urgency not in Problem.Urgency.values:
        raise ValidationError({"urgency": _("Choose one of the options.")})
    problem = Problem(
        unit=unit,
        submitter=actor,
        urgency=urgency,
        title=required_text(title, field="title", message=_("Give the problem a title."), max_length=200),
        description=required_text(description, field="description", message=_("Describe the problem.")),
    )
    with transaction.atomic():
        problem.save()
        audit_record(actor=actor, action=events.PROBLEM_SUBMITTED, target=problem, ip_address=ip_address)
    return problem


def _lock_problems(pks) -> dict[int, Problem]:
    """Lock the rows in one statement, in primary-key order: two triagers who take the same problems
    in different orders wait for each other instead of deadlocking."""
    rows = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=list(pks))
        .order_by("pk")
    )
    return {problem.pk: problem for problem in rows}


def _check_open(actor, problem: Problem) -> Problem:
    if not permissions.can_triage_problem(actor, problem):
        raise PermissionDenied(_("Only union admins and posters of the problem's unit triage it."))
    if problem.status != Problem.Status.OPEN:
        raise ValidationError(_("This problem was already triaged."))
    return problem


def _locked_open(actor, problem: Problem) -> Problem:
    return _check_open(actor, _lock_problems([problem.pk])[problem.pk])


def _mark(problem: Problem, actor, **changes) -> None:
    for name, value in changes.items():
        setattr(problem, name, value)
    problem.triaged_by = actor
    problem.triaged_at = timezone.now()
    problem.save(update_fields=[*changes, "triaged_by", "triaged_at"])


def problem_merge(*, actor, problem: Problem, into: Problem, ip_address: str | None = None) -> Problem:
    if into.pk == problem.pk:
        raise ValidationError({"into": _("Merge into another open problem of the same unit.")})
    with transaction.atomic():
        # Both rows locked and re-read: two opposite merges cannot each see the other still open.
        locked = _lock_problems([problem.pk, into.pk])
        problem = _check_open(actor, locked[problem.pk])
        into = locked[into.pk]
        if into.status != Problem.Status.OPEN or into.unit_id != problem.unit_id:
            raise ValidationError({"into": _("Merge into another open problem of the same unit.")})
        _mark(problem, actor, status=Problem.Status.MERGED, merged_into=into)
        audit_record(
            actor=actor,
            action=events.PROBLEM_MERGED,
            target=problem,
            ip_address=ip_address,
            data={"into": into.pk},
        )
        with platform_language():
            notify(
                [problem.submitter],
                kind=events.PROBLEM_MERGED,
                # Not the other problem's title: its submitter's text is not the reader's to see.
                title=lambda: (
                    _("Your problem “%(title)s” was merged with a similar one") % {"title": problem.title}
                ),
            )
    return problem


def problem_reject(*, actor, problem: Problem, reason: str, ip_address: str | None = None) -> Problem:
    reason = required_text(reason, field="reason", message=_("Give the reason for rejecting it."))
    with transaction.atomic():
        problem = _locked_open(actor, problem)
        _mark(problem, actor, status=Problem.Status.REJECTED, reject_reason=reason)
        audit_record(actor=actor, action=events.PROBLEM_REJECTED, target=problem, ip_address=ip_address)
        with platform_language():
            notify(
                [problem.submitter],
                kind=events.PROBLEM_REJECTED,
                title=lambda: _("Your problem “%(title)s” was not taken up") % {"title": problem.title},
                body=verbatim(reason),
            )
    return problem


def challenge_draft_from_problems(
    *, actor, problems: list[Problem], ip_address: str | None = None, **challenge_fields
) -> Challenge:
    """Turn one or several open problems of one unit into a challenge draft that links back to them."""
    if not problems:
        raise ValidationError({"problems": _("Choose at least one problem.")})
    units = {problem.unit_id for problem in problems}
    if len(units) != 1:
        raise ValidationError({"problems": _("Problems drafted together come from one unit.")})
    with transaction.atomic():
        rows = _lock_problems(problem.pk for problem in problems)
        locked = [_check_open(actor, rows[pk]) for pk in dict.fromkeys(problem.pk for problem in problems)]
        challenge = challenge_create(
            actor=actor, unit=locked[0].unit, ip_address=ip_address, **challenge_fields
        )
        for problem in locked:
            _mark(problem, actor, status=Problem.Status.DRAFTED, challenge=challenge)
            audit_record(
                actor=actor,
                action=events.PROBLEM_DRAFTED,
                target=problem,
                ip_address=ip_address,
                data={"challenge": challenge.pk},
            )
        with platform_language():
            for problem in locked:
                notify(
                    [problem.submitter],
                    kind=events.PROBLEM_DRAFTED,
                    title=lambda: (
                        _("Your problem “%(title)s” became a challenge draft") % {"title": problem.title}  # noqa: B023
                    ),
                    url=challenge_url(challenge),
                )
    return challenge
