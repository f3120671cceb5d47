"""Appraisal (成果鉴定) and selection (成果评选) rounds: open with a panel, criteria and weights and
a schedule; enter achievements; experts score (recused on conflicts by the challenges' rule);
close; publish the results, which become badges on the achievements."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.accounts.models import ExpertProfile
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.text import clean_line, clean_plain_text

from .. import events, permissions
from ..models import AWARD_ORDER, Achievement, Award, Recusal, Round, RoundCriterion, RoundEntry, RoundScore
from .common import achievement_url, notify

RESULTS_BY_KIND = {
    Round.Kind.SELECTION: {Award.FIRST, Award.SECOND, Award.THIRD},
    Round.Kind.APPRAISAL: {Award.APPRAISED},
}


def round_url(round: Round) -> str:
    return f"/showcase/rounds/{round.pk}/"


def _check_expert(expert) -> None:
    if not expert.is_active or not ExpertProfile.objects.filter(user=expert, active=True).exists():
        raise ValidationError(
            {"experts": _("Only active members of an expert committee can sit on a panel.")}
        )


def _recuse_where_conflicting(round: Round, entries, experts) -> None:
    for entry in entries:
        for expert in experts:
            reasons = permissions.round_conflicts(expert, entry.achievement)
            if reasons:
                Recusal.objects.get_or_create(
                    entry=entry, expert=expert, defaults={"reason": "\n".join(reasons)}
                )


def round_open(
    *,
    actor,
    kind: str,
    title: str,
    description: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    criteria: list[tuple[str, int]],
    experts: list,
    ip_address: str | None = None,
) -> Round:
    if not permissions.can_open_round(actor):
        raise PermissionDenied(_("Only a union admin may open a round."))
    if kind not in Round.Kind.values:
        raise ValidationError({"kind": _("Choose appraisal or selection.")})
    title = clean_line(title or "", max_length=200)
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The round cannot end before it starts.")})
    cleaned = [(clean_line(str(name), max_length=100), int(weight)) for name, weight in criteria]
    if not cleaned or any(not name or not 1 <= weight <= 100 for name, weight in cleaned):
        raise ValidationError({"criteria": _("Each criterion needs a name and a weight from 1 to 100.")})
    if len({name for name, _weight in cleaned}) != len(cleaned):
        raise ValidationError({"criteria": _("A criterion is named twice.")})
    if sum(weight for _name, weight in cleaned) != 100:
        raise ValidationError({"criteria": _("The weights must add up to 100.")})
    for expert in experts:
        _check_expert(expert)
    with transaction.atomic():
        round = Round.objects.create(
            kind=kind,
            title=title,
            description=clean_plain_text(description or "", max_length=8000),
            starts_on=starts_on,
            ends_on=ends_on,
            opened_by=actor,
        )
        RoundCriterion.objects.bulk_create(RoundCriterion(round=round, name=n, weight=w) for n, w in cleaned)
        round.experts.set(experts)
        audit_record(actor=actor, action=events.ROUND_OPENED, target=round, ip_address=ip_address)
        with platform_language():
            notify(
                experts,
                kind=events.ROUND_EXPERT_ADDED,
                title=lambda: _("You sit on the panel of “%(title)s”") % {"title": round.title},
                url=round_url(round),
            )
    return round


def _managed_round(actor, round: Round, *, status: str | None = Round.Status.OPEN) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not permissions.can_manage_round(actor, round):
        raise PermissionDenied(_("Only the admin who opened the round may do this."))
    if status is not None and round.status != status:
        raise ValidationError(
            _("Not possible while the round is %(status)s.") % {"status": round.get_status_display()}
        )
    return round


def round_expert_add(*, actor, round: Round, expert, ip_address: str | None = None) -> Round:
    _check_expert(expert)
    with transaction.atomic():
        round = _managed_round(actor, round)
        if round.experts.filter(pk=expert.pk).exists():
            raise ValidationError({"expert": _("This expert is already on the panel.")})
        round.experts.add(expert)
        entries = round.entries.select_related("achievement__studio", "achievement__team__lead")
        _recuse_where_conflicting(round, entries, [expert])
        audit_record(
            actor=actor,
            action=events.ROUND_EXPERT_ADDED,
            target=round,
            ip_address=ip_address,
            data={"expert_id": expert.pk},
        )
        with platform_language():
            notify(
                [expert],
                kind=events.ROUND_EXPERT_ADDED,
                title=lambda: _("You sit on the panel of “%(title)s”") % {"title": round.title},
                url=round_url(round),
            )
    return round


def round_entry_add(
    *, actor, round: Round, achievement: Achievement, ip_address: str | None = None
) -> RoundEntry:
    with transaction.atomic():
        round = _managed_round(actor, round)
        if not achievement.is_published:
            raise ValidationError({"achievement": _("Only published achievements can be entered.")})
        entry, created = RoundEntry.objects.get_or_create(round=round, achievement=achievement)
        if not created:
            raise ValidationError({"achievement": _("This achievement is already entered.")})
        _recuse_where_conflicting(round, [entry], list(round.experts.all()))
        audit_record(
            actor=actor,
            action=events.ROUND_ENTRY_ADDED,
            target=round,
            ip_address=ip_address,
            data={"achievement_id": achievement.pk},
        )
        lead = achievement.owner_lead
        with platform_language():
            notify(
                [lead],
                kind=events.ROUND_ENTRY_ADDED,
                title=lambda: (
                    _("“%(title)s” is entered in “%(round)s”")
                    % {"title": achievement.title, "round": round.title}
                ),
                url=achievement_url(achievement),
            )
    return entry


def round_score(
    *, actor, entry: RoundEntry, scores: list[dict], ip_address: str | None = None
) -> list[RoundScore]:
    """Record (or correct) the actor's scores of one entry: [{"criterion": id, "value": 0-100,
    "comment": ""}, ...]."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=entry.round_id)
        entry = RoundEntry.objects.select_related("round").get(pk=entry.pk)
        if not permissions.can_score(actor, entry):
            raise PermissionDenied(_("Only the panel's non-recused experts score, while scoring is open."))
        criteria = {criterion.pk: criterion for criterion in round.criteria.all()}
        saved = []
        for row in scores:
            criterion = criteria.get(row.get("criterion"))  # type: ignore[arg-type]
            if criterion is None:
                raise ValidationError({"criterion": _("Score this round's criteria only.")})
            try:
                value = Decimal(str(row.get("value")))
            except InvalidOperation:
                raise ValidationError({"value": _("A score is a number from 0 to 100.")}) from None
            if not value.is_finite() or not Decimal("0") <= value <= Decimal("100"):
                raise ValidationError({"value": _("A score is a number from 0 to 100.")})
            score, _created = RoundScore.objects.update_or_create(
                entry=entry,
                expert=actor,
                criterion=criterion,
                defaults={
                    "value": value,
                    "comment": clean_plain_text(row.get("comment") or "", max_length=4000),
                },
            )
            saved.append(score)
        audit_record(
            actor=actor,
            action=events.ROUND_SCORED,
            target=round,
            ip_address=ip_address,
            data={"entry_id": entry.pk},
        )
    return saved


def round_close(*, actor, round: Round, ip_address: str | None = None) -> Round:
    with transaction.atomic():
        round = _managed_round(actor, round)
        round.status = Round.Status.CLOSED
        round.save(update_fields=["status"])
        audit_record(actor=actor, action=events.ROUND_CLOSED, target=round, ip_address=ip_address)
    return round


def round_publish(*, actor, round: Round, results: dict[int, str], ip_address: str | None = None) -> Round:
    """Publish the results: `results` maps entry ids to an award of the round's kind or "" (none).
    Each awarded achievement keeps its best award as a badge."""
    with transaction.atomic():
        round = _managed_round(actor, round, status=Round.Status.CLOSED)
        allowed = RESULTS_BY_KIND[Round.Kind(round.kind)]
        entries = {
            entry.pk: entry
            for entry in round.entries.select_related(
                "achievement__studio__leader", "achievement__team__lead"
            )
        }
        for entry_id, result in results.items():
            if entry_id not in entries:
                raise ValidationError({"results": _("A result names an entry of another round.")})
            if result and result not in allowed:
                raise ValidationError({"results": _("This result does not belong to this kind of round.")})
        for entry in entries.values():
            entry.result = results.get(entry.pk, "")
            entry.save(update_fields=["result"])
            if entry.result:
                _raise_badge(entry.achievement, entry.result)
        round.status = Round.Status.PUBLISHED
        round.published_at = timezone.now()
        round.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action=events.ROUND_PUBLISHED,
            target=round,
            ip_address=ip_address,
            data={"results": {str(k): v for k, v in results.items()}},
        )
        with platform_language():
            for entry in entries.values():
                if entry.result:
                    achievement = entry.achievement
                    lead = achievement.owner_lead
                    notify(
                        [lead],
                        kind=events.ROUND_PUBLISHED,
                        title=lambda: (
                            _("“%(title)s”: %(award)s in “%(round)s”")
                            % {
                                "title": achievement.title,  # noqa: B023
                                "award": Award(entry.result).label,  # noqa: B023
                                "round": round.title,
                            }
                        ),
                        url=achievement_url(achievement),
                    )
    return round


def _raise_badge(achievement: Achievement, result: str) -> None:
    current = achievement.award
    if not current or AWARD_ORDER[result] < AWARD_ORDER[current]:
        Achievement.objects.filter(pk=achievement.pk).update(award=result)
