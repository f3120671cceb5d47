"""Every write of naming rounds: open a round with its weights, schedule and panel; nominate;
self-assess (the platform's figures snapshotted at submission); score; close; publish the named
list for a notice period; lodge and answer objections; confer the titles; and, in a re-assessment,
revoke the title of a studio below the pass mark (摘牌). Each checks permission, validates, records
the audit entry and notifies; live events on the studio's topic go out after commit (emit)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core import uploads
from platform_core.accounts.models import ExpertProfile
from platform_core.audit.services import audit_record
from platform_core.conflicts import conflict_reasons, studio_party
from platform_core.i18n import platform_language
from platform_core.notifications.services import notify, verbatim
from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text

from ..figures import registered_studio_figures, studio_domain_figures
from ..models import Studio
from ..standards import Standard
from . import events, permissions
from .models import (
    AssessmentAnswer,
    EvidenceFile,
    NamingRecusal,
    NamingRound,
    NamingScore,
    Nomination,
    Objection,
    StudioTitle,
)

TWO_PLACES = Decimal("0.01")


def round_url(round: NamingRound) -> str:
    return f"/naming/{round.pk}/"


def nomination_url(nomination: Nomination) -> str:
    return f"/naming/nominations/{nomination.pk}/"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_round(round: NamingRound) -> NamingRound:
    return NamingRound.objects.select_for_update().select_related("opened_by").get(pk=round.pk)


def _managed(actor, round: NamingRound, status: str) -> NamingRound:
    """The round's row, locked, if `actor` runs it and it is in `status`."""
    round = _locked_round(round)
    _require(
        permissions.can_manage_round(actor, round), _("Only the admin who opened the round may do this.")
    )
    if round.status != status:
        raise ValidationError(
            _("Not possible while the round is at the stage: %(status)s.")
            % {"status": round.get_status_display()}
        )
    return round


def _check_expert(expert) -> None:
    if not expert.is_active or not ExpertProfile.objects.filter(user=expert, active=True).exists():
        raise ValidationError(
            {"experts": _("Only active members of an expert committee can sit on a panel.")}
        )


def _recuse_where_conflicting(nominations, experts) -> None:
    """The core's conflict rule (platform_core.conflicts), as challenge reviews and showcase rounds
    use it: an expert who is one of the studio's people or works in its unit is recused."""
    for nomination in nominations:
        party = studio_party(nomination.studio)
        for expert in experts:
            reasons = conflict_reasons(expert, [party], named=True)
            if reasons:
                NamingRecusal.objects.get_or_create(
                    nomination=nomination, expert=expert, defaults={"reason": "\n".join(reasons)}
                )


def clean_weights(weights: dict) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for standard in Standard.values:
        raw = weights.get(standard)
        try:
            weight = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError({"weights": _("Give each of the five standards a weight.")}) from None
        if not 0 <= weight <= 100:
            raise ValidationError({"weights": _("A weight is from 0 to 100.")})
        cleaned[standard] = weight
    if set(weights) - set(Standard.values):
        raise ValidationError({"weights": _("Weigh the five standards only.")})
    if sum(cleaned.values()) != 100:
        raise ValidationError({"weights": _("The weights must add up to 100.")})
    return cleaned


def round_open(
    *,
    actor,
    kind: str = NamingRound.Kind.NAMING,
    level: str,
    title: str,
    year: int,
    nominations_close_on: datetime.date,
    assessment_close_on: datetime.date,
    scoring_close_on: datetime.date,
    notice_ends_on: datetime.date,
    weights: dict,
    pass_mark: Decimal | int | str = 60,
    period_years: int = 2,
    experts: list | tuple = (),
    ip_address: str | None = None,
) -> NamingRound:
    """Open a naming round (or a re-assessment of the holders of this level's titles) at a level at
    or below the actor's own."""
    _require(permissions.can_open_round(actor), _("Only a union admin may open a naming round."))
    if kind not in NamingRound.Kind.values:
        raise ValidationError({"kind": _("Choose naming or re-assessment.")})
    if not permissions.can_open_round(actor, level):
        raise ValidationError({"level": _("You may open rounds at your own level or below it.")})
    title = clean_line(title or "", max_length=200)
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Give the year of the naming.")})
    if not 1 <= int(period_years) <= 10:
        raise ValidationError({"period_years": _("A period is from 1 to 10 years.")})
    schedule = [nominations_close_on, assessment_close_on, scoring_close_on, notice_ends_on]
    if nominations_close_on < timezone.localdate():
        raise ValidationError({"nominations_close_on": _("Nominations cannot close in the past.")})
    if schedule != sorted(schedule):
        raise ValidationError(
            {
                "notice_ends_on": _(
                    "The dates follow each other: nominations, self-assessment, scoring, notice."
                )
            }
        )
    try:
        mark = Decimal(str(pass_mark))
    except InvalidOperation:
        raise ValidationError({"pass_mark": _("A pass mark is a number from 0 to 100.")}) from None
    if not mark.is_finite() or not 0 <= mark <= 100:
        raise ValidationError({"pass_mark": _("A pass mark is a number from 0 to 100.")})
    cleaned = clean_weights(weights)
    for expert in experts:
        _check_expert(expert)
    with transaction.atomic():
        round = NamingRound.objects.create(
            kind=kind,
            level=level,
            title=title,
            year=int(year),
            period_years=int(period_years),
            opened_by=actor,
            nominations_close_on=nominations_close_on,
            assessment_close_on=assessment_close_on,
            scoring_close_on=scoring_close_on,
            notice_ends_on=notice_ends_on,
            weights=cleaned,
            pass_mark=mark,
        )
        round.experts.set(experts)
        audit_record(
            actor=actor,
            action=events.ROUND_OPENED,
            target=round,
            ip_address=ip_address,
            data={"level": level},
        )
        if round.is_reassessment:
            _nominate_title_holders(actor, round)
        with platform_language():
            notify(
                experts,
                kind=events.EXPERT_ADDED,
                title=lambda: _("You sit on the panel of “%(title)s”") % {"title": round.title},
                url=round_url(round),
            )
    return round


def _nominate_title_holders(actor, round: NamingRound) -> None:
    """A re-assessment assesses every studio holding an active title of its level in the scope of
    its admin; each assesses itself as a nominee would."""
    titles = StudioTitle.objects.filter(level=round.level, revoked_at__isnull=True).select_related("studio")
    if not actor.is_superuser:
        titles = titles.filter(studio__in=Studio.objects.filter(permissions.admin_scope_filter(actor)))
    for title in titles:
        if Nomination.objects.filter(round=round, studio=title.studio).exists():
            continue
        nomination = Nomination.objects.create(round=round, studio=title.studio, nominated_by=actor)
        _recuse_where_conflicting([nomination], list(round.experts.all()))
        studio = title.studio
        notify(
            [studio.leader],
            kind=events.NOMINATED,
            title=lambda: (
                _("%(studio)s is re-assessed in “%(round)s”: submit its self-assessment")
                % {"studio": studio.name, "round": round.title}  # noqa: B023
            ),
            url=nomination_url(nomination),
        )


def round_expert_add(*, actor, round: NamingRound, expert, ip_address: str | None = None) -> NamingRound:
    _check_expert(expert)
    with transaction.atomic():
        round = _locked_round(round)
        _require(
            permissions.can_manage_round(actor, round), _("Only the admin who opened the round may do this.")
        )
        if round.status not in (NamingRound.Status.NOMINATING, NamingRound.Status.SCORING):
            raise ValidationError({"username": _("The panel is fixed once scoring is closed.")})
        if round.experts.filter(pk=expert.pk).exists():
            raise ValidationError({"username": _("This expert is already on the panel.")})
        round.experts.add(expert)
        _recuse_where_conflicting(round.nominations.select_related("studio"), [expert])
        audit_record(
            actor=actor,
            action=events.EXPERT_ADDED,
            target=round,
            ip_address=ip_address,
            data={"expert_id": expert.pk},
        )
        with platform_language():
            notify(
                [expert],
                kind=events.EXPERT_ADDED,
                title=lambda: _("You sit on the panel of “%(title)s”") % {"title": round.title},
                url=round_url(round),
            )
    return round


def nomination_create(
    *, actor, round: NamingRound, studio: Studio, statement: str = "", ip_address: str | None = None
) -> Nomination:
    """Nominate a studio: its leader (self-nomination) or a union admin over its unit."""
    with transaction.atomic():
        round = _locked_round(round)
        if not permissions.nominations_open(round):
            raise ValidationError({"studio": _("Nominations to this round are closed.")})
        if not permissions.eligible_studios(round).filter(pk=studio.pk).exists():
            raise ValidationError(
                {
                    "studio": _(
                        "Only an active studio below the round's level, in its scope, not yet nominated."
                    )
                }
            )
        _require(
            permissions.can_nominate(actor, round, studio),
            _("Only the studio's leader or a union admin over its unit may nominate it."),
        )
        nomination = Nomination.objects.create(
            round=round,
            studio=studio,
            nominated_by=actor,
            statement=clean_plain_text(statement or "", max_length=4000),
        )
        _recuse_where_conflicting([nomination], list(round.experts.all()))
        audit_record(
            actor=actor,
            action=events.NOMINATED,
            target=round,
            ip_address=ip_address,
            data={"studio_id": studio.pk, "nomination_id": nomination.pk},
        )
        with platform_language():
            notify(
                [studio.leader] if studio.leader_id != actor.pk else [],
                kind=events.NOMINATED,
                title=lambda: (
                    _("%(studio)s is nominated in “%(round)s”: submit its self-assessment")
                    % {"studio": studio.name, "round": round.title}
                ),
                url=nomination_url(nomination),
            )
    return nomination


def figures_for(studio: Studio) -> list[dict]:
    """The evidence the platform holds of the studio, figure by figure, each naming the standard it
    evidences (the core's registry, filled by the domain apps)."""
    values = studio_domain_figures([studio.pk])[studio.pk]
    rows = []
    for figure in registered_studio_figures():
        if figure.standard is None:
            continue
        value = values.get(figure.key, 0)
        rows.append(
            {
                "key": figure.key,
                "label": str(figure.label),
                "standard": str(figure.standard.value),
                "unit": figure.unit,
                "value": str(value),
            }
        )
    return rows


def prefilled_text(figures: list[dict], standard: str) -> str:
    """The self-assessment's starting text for one standard: the platform's figures for it."""
    return "\n".join(f"{row['label']}: {row['value']}" for row in figures if row["standard"] == standard)


def _locked_nomination(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related("round", "studio").get(pk=nomination.pk)


def assessment_save(
    *,
    actor,
    nomination: Nomination,
    texts: dict[str, str],
    submit: bool = False,
    ip_address: str | None = None,
) -> Nomination:
    """Save the studio's self-assessment (a text per standard); with `submit`, hand it in: the
    platform's figures are snapshotted with it, and it can no longer change."""
    refused = _("Only the studio's leader writes its self-assessment, while self-assessments are open.")
    _require(permissions.can_edit_assessment(actor, nomination), refused)
    cleaned = {
        standard: clean_plain_text(texts.get(standard) or "", max_length=8000) for standard in Standard.values
    }
    with transaction.atomic():
        nomination = _locked_nomination(nomination)
        _require(permissions.can_edit_assessment(actor, nomination), refused)
        if submit and not all(cleaned.values()):
            raise ValidationError(
                {"__all__": _("Write the self-assessment of every standard before submitting it.")}
            )
        for standard, text in cleaned.items():
            AssessmentAnswer.objects.update_or_create(
                nomination=nomination, standard=standard, defaults={"text": text}
            )
        if submit:
            nomination.figures = figures_for(nomination.studio)
            nomination.status = Nomination.Status.SUBMITTED
            nomination.submitted_at = timezone.now()
            nomination.save(update_fields=["figures", "status", "submitted_at"])
        audit_record(
            actor=actor,
            action=events.ASSESSMENT_SUBMITTED if submit else events.ASSESSMENT_SAVED,
            target=nomination.round,
            ip_address=ip_address,
            data={"nomination_id": nomination.pk},
        )
        if submit:
            round = nomination.round
            studio = nomination.studio
            with platform_language():
                notify(
                    [round.opened_by],
                    kind=events.ASSESSMENT_SUBMITTED,
                    title=lambda: (
                        _("%(studio)s submitted its self-assessment in “%(round)s”")
                        % {"studio": studio.name, "round": round.title}
                    ),
                    url=nomination_url(nomination),
                )
    return nomination


def evidence_add(
    *, actor, nomination: Nomination, standard: str, upload, ip_address: str | None = None
) -> EvidenceFile:
    refused = _("Only the studio's leader adds evidence, while self-assessments are open.")
    _require(permissions.can_edit_assessment(actor, nomination), refused)
    if standard not in Standard.values:
        raise ValidationError({"standard": _("Choose the standard this file evidences.")})
    name = clean_line(getattr(upload, "name", "") or "", max_length=200)
    uploads.NAMING_EVIDENCE.check(name, upload.size)
    with transaction.atomic():
        nomination = _locked_nomination(nomination)
        _require(permissions.can_edit_assessment(actor, nomination), refused)
        evidence = EvidenceFile(
            nomination=nomination, standard=standard, name=name, size=upload.size, uploaded_by=actor
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        audit_record(
            actor=actor,
            action=events.EVIDENCE_ADDED,
            target=nomination.round,
            ip_address=ip_address,
            data={"nomination_id": nomination.pk, "evidence_id": evidence.pk},
        )
    return evidence


def scoring_start(*, actor, round: NamingRound, ip_address: str | None = None) -> NamingRound:
    """Close nominations and self-assessments; the experts score what was submitted, and a
    nomination whose self-assessment was not submitted lapses."""
    with transaction.atomic():
        round = _managed(actor, round, NamingRound.Status.NOMINATING)
        if not round.experts.exists():
            raise ValidationError(_("Add at least one expert to the panel first."))
        lapsed = list(
            round.nominations.filter(status=Nomination.Status.NOMINATED).select_related("studio__leader")
        )
        round.nominations.filter(pk__in=[n.pk for n in lapsed]).update(status=Nomination.Status.LAPSED)
        round.status = NamingRound.Status.SCORING
        round.save(update_fields=["status"])
        audit_record(actor=actor, action=events.SCORING_STARTED, target=round, ip_address=ip_address)
        with platform_language():
            notify(
                list(round.experts.all()),
                kind=events.SCORING_STARTED,
                title=lambda: _("Scoring is open in “%(title)s”") % {"title": round.title},
                url=round_url(round),
            )
            for nomination in lapsed:
                notify(
                    [nomination.studio.leader],
                    kind=events.SCORING_STARTED,
                    title=lambda: (
                        _("The nomination of %(studio)s lapsed: no self-assessment was submitted")
                        % {"studio": nomination.studio.name}  # noqa: B023
                    ),
                    url=nomination_url(nomination),
                )
    return round


def score_save(
    *, actor, nomination: Nomination, scores: dict, ip_address: str | None = None
) -> list[NamingScore]:
    """Record (or correct) the actor's score, 0 to 100, of each of the five standards."""
    with transaction.atomic():
        _locked_round(nomination.round)
        nomination = Nomination.objects.select_related("round").get(pk=nomination.pk)
        _require(
            permissions.can_score(actor, nomination),
            _("Only the panel's experts not recused from this studio score it, while scoring is open."),
        )
        values: dict[str, Decimal] = {}
        for standard in Standard.values:
            try:
                value = Decimal(str(scores.get(standard)))
            except InvalidOperation:
                raise ValidationError({standard: _("A score is a number from 0 to 100.")}) from None
            if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
                raise ValidationError({standard: _("A score is a number from 0 to 100.")})
            values[standard] = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        saved = [
            NamingScore.objects.update_or_create(
                nomination=nomination, expert=actor, standard=standard, defaults={"value": value}
            )[0]
            for standard, value in values.items()
        ]
        audit_record(
            actor=actor,
            action=events.SCORED,
            target=nomination.round,
            ip_address=ip_address,
            data={"nomination_id": nomination.pk},
        )
    return saved


def weighted_totals(round: NamingRound) -> dict[int, tuple[Decimal | None, int]]:
    """{nomination id: (the mean over the experts who scored every standard of their weighted
    totals, how many experts that is)}."""
    weights = {standard: Decimal(weight) for standard, weight in round.weights.items()}
    per_expert: dict[tuple[int, int], dict[str, Decimal]] = {}
    for score in NamingScore.objects.filter(nomination__round=round):
        per_expert.setdefault((score.nomination_id, score.expert_id), {})[score.standard] = score.value
    sums: dict[int, list[Decimal]] = {}
    for (nomination_id, _expert), marks in per_expert.items():
        if set(marks) >= set(weights):
            total = sum((marks[s] * weights[s] for s in weights), Decimal(0)) / Decimal(100)
            sums.setdefault(nomination_id, []).append(total)
    result: dict[int, tuple[Decimal | None, int]] = {}
    for nomination in round.nominations.all():
        totals = sums.get(nomination.pk, [])
        mean = (
            (sum(totals, Decimal(0)) / len(totals)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            if totals
            else None
        )
        result[nomination.pk] = (mean, len(totals))
    return result


def scoring_close(*, actor, round: NamingRound, ip_address: str | None = None) -> NamingRound:
    """Close scoring: the weighted totals and the ranking are computed and unsealed for the admin."""
    with transaction.atomic():
        round = _managed(actor, round, NamingRound.Status.SCORING)
        totals = weighted_totals(round)
        scored = sorted(
            (
                n
                for n in round.nominations.filter(status=Nomination.Status.SUBMITTED)
                if totals[n.pk][0] is not None
            ),
            key=lambda n: (-totals[n.pk][0], n.pk),  # type: ignore[operator]
        )
        for nomination in round.nominations.filter(status=Nomination.Status.SUBMITTED):
            nomination.total = totals[nomination.pk][0]
            nomination.rank = None
            nomination.save(update_fields=["total", "rank"])
        for position, nomination in enumerate(scored, start=1):
            Nomination.objects.filter(pk=nomination.pk).update(rank=position)
        round.status = NamingRound.Status.DECIDING
        round.save(update_fields=["status"])
        audit_record(actor=actor, action=events.SCORING_CLOSED, target=round, ip_address=ip_address)
    return round


def results_publish(
    *,
    actor,
    round: NamingRound,
    named: list[int],
    notice_ends_on: datetime.date | None = None,
    reasons: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> NamingRound:
    """A naming round: the named list (`named`, nomination ids) goes on public notice until
    `notice_ends_on` (the scheduled date unless given). A re-assessment: `named` are the studios
    that pass; the others lose their title now (摘牌), with `reasons[id]` or the scored reason."""
    with transaction.atomic():
        round = _managed(actor, round, NamingRound.Status.DECIDING)
        candidates = {
            n.pk: n
            for n in round.nominations.filter(status=Nomination.Status.SUBMITTED).select_related(
                "studio__leader"
            )
        }
        chosen = set(named)
        scored = {pk for pk, nomination in candidates.items() if nomination.total is not None}
        if chosen - scored:
            raise ValidationError({"named": _("Name only this round's scored nominations.")})
        if round.is_reassessment:
            # A holder that did not even submit its self-assessment fails the re-assessment too.
            lapsed = round.nominations.filter(status=Nomination.Status.LAPSED).select_related(
                "studio__leader"
            )
            candidates.update({nomination.pk: nomination for nomination in lapsed})
            _conclude_reassessment(actor, round, candidates, chosen, reasons or {}, ip_address)
            return round
        if not chosen:
            raise ValidationError({"named": _("Name at least one studio.")})
        ends = notice_ends_on or round.notice_ends_on
        if ends < timezone.localdate():
            raise ValidationError({"notice_ends_on": _("The public notice cannot end in the past.")})
        for pk, nomination in candidates.items():
            nomination.status = Nomination.Status.NAMED if pk in chosen else Nomination.Status.NOT_NAMED
            nomination.save(update_fields=["status"])
        round.status = NamingRound.Status.NOTICE
        round.notice_starts_on = timezone.localdate()
        round.notice_ends_on = ends
        round.save(update_fields=["status", "notice_starts_on", "notice_ends_on"])
        audit_record(
            actor=actor,
            action=events.RESULTS_PUBLISHED,
            target=round,
            ip_address=ip_address,
            data={"named": sorted(chosen), "notice_ends_on": ends.isoformat()},
        )
        with platform_language():
            for nomination in candidates.values():
                on_list = nomination.pk in chosen
                notify(
                    [nomination.studio.leader],
                    kind=events.RESULTS_PUBLISHED,
                    title=lambda: (
                        (
                            _("%(studio)s is on the named list of “%(round)s”, under public notice")
                            if on_list  # noqa: B023
                            else _("%(studio)s is not on the named list of “%(round)s”")
                        )
                        % {"studio": nomination.studio.name, "round": round.title}  # noqa: B023
                    ),
                    url=round_url(round),
                )
    return round


def _conclude_reassessment(
    actor, round: NamingRound, candidates: dict, passed: set[int], reasons: dict, ip_address
) -> None:
    for pk, nomination in candidates.items():
        if pk in passed:
            nomination.status = Nomination.Status.PASSED
            nomination.save(update_fields=["status"])
            continue
        # Stored text, in the platform's language whoever's request concludes the round.
        with platform_language():
            if nomination.status == Nomination.Status.LAPSED:
                scored_reason = _("No self-assessment was submitted in the re-assessment “%(round)s”.") % {
                    "round": round.title
                }
            else:
                scored_reason = _("Scored %(total)s in “%(round)s”, below the pass mark of %(mark)s.") % {
                    "total": nomination.total if nomination.total is not None else "–",
                    "round": round.title,
                    "mark": round.pass_mark,
                }
        reason = clean_plain_text(reasons.get(pk) or "", max_length=1000) or scored_reason
        nomination.status = Nomination.Status.FAILED
        nomination.decision_reason = reason
        nomination.save(update_fields=["status", "decision_reason"])
        for title in StudioTitle.objects.filter(
            studio=nomination.studio, level=round.level, revoked_at__isnull=True
        ):
            _revoke(actor, title, reason=reason, round=round, ip_address=ip_address)
    round.status = NamingRound.Status.CONCLUDED
    round.notice_starts_on = timezone.localdate()
    round.concluded_at = timezone.now()
    round.save(update_fields=["status", "notice_starts_on", "concluded_at"])
    audit_record(
        actor=actor,
        action=events.RESULTS_PUBLISHED,
        target=round,
        ip_address=ip_address,
        data={"passed": sorted(passed)},
    )
    with platform_language():
        for nomination in candidates.values():
            if nomination.pk in passed:
                notify(
                    [nomination.studio.leader],
                    kind=events.RESULTS_PUBLISHED,
                    title=lambda: (
                        _("%(studio)s passed the re-assessment “%(round)s”")
                        % {"studio": nomination.studio.name, "round": round.title}  # noqa: B023
                    ),
                    url=round_url(round),
                )


def _revoke(actor, title: StudioTitle, *, reason: str, round: NamingRound | None, ip_address) -> StudioTitle:
    """摘牌: the title is revoked with its reason and date and stays in the studio's history; the
    studio keeps running at the level it had before, or that of another title it still holds."""
    title = StudioTitle.objects.select_for_update().select_related("studio").get(pk=title.pk)
    title.revoked_at = timezone.now()
    title.revoked_reason = reason
    title.revoked_in = round
    title.save(update_fields=["revoked_at", "revoked_reason", "revoked_in"])
    studio = Studio.objects.select_for_update().get(pk=title.studio_id)
    remaining = [
        t.level
        for t in StudioTitle.objects.filter(studio=studio, revoked_at__isnull=True).exclude(pk=title.pk)
    ]
    level = max(
        [title.previous_level, *remaining], key=lambda value: permissions.LEVEL_RANK[Studio.Level(value)]
    )
    studio.level = level
    studio.save(update_fields=["level"])
    title.studio = studio
    audit_record(
        actor=actor,
        action=events.TITLE_REVOKED,
        target=studio,
        ip_address=ip_address,
        data={"title_id": title.pk, "reason": reason, "round_id": round.pk if round else None},
    )
    emit(studio.topic, events.TITLE_REVOKED, events.title_revoked(title))
    with platform_language():
        notify(
            [studio.leader],
            kind=events.TITLE_REVOKED,
            title=lambda: (
                _("%(studio)s loses its title of %(year)s (摘牌)")
                % {"studio": studio.name, "year": title.year}
            ),
            body=verbatim(reason),
            url=f"/studios/{studio.pk}/",
        )
    return title


def title_revoke(*, actor, title: StudioTitle, reason: str, ip_address: str | None = None) -> StudioTitle:
    """Revoke a title outside a re-assessment (a union admin over the studio's unit, with a reason)."""
    _require(
        permissions.can_revoke_title(actor, title.studio),
        _("Only a union admin over this studio's unit may revoke its title."),
    )
    reason = clean_plain_text(reason or "", max_length=1000)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the title.")})
    if not title.is_active:
        raise ValidationError({"reason": _("The title is already revoked.")})
    with transaction.atomic():
        return _revoke(actor, title, reason=reason, round=None, ip_address=ip_address)


def objection_lodge(
    *, actor, nomination: Nomination, reason: str, ip_address: str | None = None
) -> Objection:
    reason = clean_plain_text(reason or "", max_length=4000)
    with transaction.atomic():
        round = _locked_round(nomination.round)
        nomination = Nomination.objects.select_related("round", "studio").get(pk=nomination.pk)
        _require(
            permissions.can_object(actor, nomination),
            _("Objections are lodged against a named studio while its public notice runs."),
        )
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the objection.")})
        objection = Objection.objects.create(nomination=nomination, author=actor, reason=reason)
        audit_record(
            actor=actor,
            action=events.OBJECTION_LODGED,
            target=round,
            ip_address=ip_address,
            data={"nomination_id": nomination.pk, "objection_id": objection.pk},
        )
        studio = nomination.studio
        with platform_language():
            notify(
                [round.opened_by],
                kind=events.OBJECTION_LODGED,
                title=lambda: (
                    _("An objection to %(studio)s in “%(round)s”")
                    % {"studio": studio.name, "round": round.title}
                ),
                body=verbatim(reason),
                url=nomination_url(nomination),
            )
    return objection


def objection_answer(
    *, actor, objection: Objection, upheld: bool, answer: str, ip_address: str | None = None
) -> Objection:
    """Answer an objection: upheld, the nomination is withdrawn from the named list; dismissed, it
    stays. The objector, and the studio's leader when it is withdrawn, are told."""
    answer = clean_plain_text(answer or "", max_length=4000)
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update().select_related("nomination__round").get(pk=objection.pk)
        )
        round = _locked_round(objection.nomination.round)
        _require(
            permissions.can_answer_objection(actor, objection),
            _("Only the round's admin answers an open objection, during the public notice."),
        )
        if not answer:
            raise ValidationError({"answer": _("Give the answer to the objection.")})
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.answer = answer
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        nomination = Nomination.objects.select_related("studio__leader").get(pk=objection.nomination_id)
        if upheld and nomination.status == Nomination.Status.NAMED:
            nomination.status = Nomination.Status.WITHDRAWN
            nomination.decision_reason = answer
            nomination.save(update_fields=["status", "decision_reason"])
        audit_record(
            actor=actor,
            action=events.OBJECTION_ANSWERED,
            target=round,
            ip_address=ip_address,
            data={"objection_id": objection.pk, "upheld": upheld},
        )
        studio = nomination.studio
        with platform_language():
            notify(
                [objection.author],
                kind=events.OBJECTION_ANSWERED,
                title=lambda: (
                    (
                        _("Your objection to %(studio)s is upheld")
                        if upheld
                        else _("Your objection to %(studio)s is dismissed")
                    )
                    % {"studio": studio.name}
                ),
                body=verbatim(answer),
                url=nomination_url(nomination),
            )
            if upheld:
                notify(
                    [studio.leader],
                    kind=events.OBJECTION_ANSWERED,
                    title=lambda: (
                        _("%(studio)s is withdrawn from the named list of “%(round)s” after an objection")
                        % {"studio": studio.name, "round": round.title}
                    ),
                    body=verbatim(answer),
                    url=nomination_url(nomination),
                )
    return objection


def titles_confer(*, actor, round: NamingRound, ip_address: str | None = None) -> list[StudioTitle]:
    """After the public notice, with every objection answered: a title for each studio still on
    the named list, whose level rises to the round's."""
    with transaction.atomic():
        round = _locked_round(round)
        _require(
            permissions.can_manage_round(actor, round), _("Only the admin who opened the round may do this.")
        )
        refusal = permissions.confer_refusal(round)
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        titles = []
        for nomination in round.nominations.filter(status=Nomination.Status.NAMED).select_related("studio"):
            studio = Studio.objects.select_for_update().select_related("leader").get(pk=nomination.studio_id)
            title = StudioTitle.objects.create(
                studio=studio,
                level=round.level,
                year=round.year,
                round=round,
                previous_level=studio.level,
                conferred_at=now,
            )
            if (
                permissions.LEVEL_RANK[Studio.Level(round.level)]
                > permissions.LEVEL_RANK[Studio.Level(studio.level)]
            ):
                studio.level = round.level
                studio.save(update_fields=["level"])
            nomination.status = Nomination.Status.CONFERRED
            nomination.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=events.TITLE_CONFERRED,
                target=studio,
                ip_address=ip_address,
                data={"title_id": title.pk, "round_id": round.pk},
            )
            emit(studio.topic, events.TITLE_CONFERRED, events.title_conferred(title))
            with platform_language():
                notify(
                    [studio.leader],
                    kind=events.TITLE_CONFERRED,
                    title=lambda: (
                        _("%(studio)s is named a demonstration studio (%(level)s, %(year)s)")
                        % {
                            "studio": studio.name,  # noqa: B023
                            "level": Studio.Level(round.level).label,
                            "year": round.year,
                        }
                    ),
                    url=f"/naming/titles/{title.pk}/certificate/",
                )
            titles.append(title)
        round.status = NamingRound.Status.CONCLUDED
        round.concluded_at = now
        round.save(update_fields=["status", "concluded_at"])
        audit_record(
            actor=actor,
            action=events.TITLES_CONFERRED,
            target=round,
            ip_address=ip_address,
            data={"titles": [t.pk for t in titles]},
        )
    return titles
