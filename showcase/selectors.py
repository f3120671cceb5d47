"""Reads of the showcase that depend on who asks, and the figures its pages show.

The public showcase (list, search, facet counts, related achievements, the API list) shows only
published achievements, whoever asks: `showcase_base()` is where every one of them starts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from alliances.permissions import my_teams
from challenges.models import ChallengeOutcome
from platform_core.orgs.models import Studio, Unit
from platform_core.orgs.permissions import admin_scope_filter, my_studios

from . import permissions, search
from .models import (
    Achievement,
    AchievementFile,
    Award,
    FieldTag,
    Inquiry,
    Patent,
    Round,
    RoundCriterion,
    RoundEntry,
    RoundScore,
    TransferCase,
    TransferListing,
)

SORTS = {
    "relevance": ("-relevance", "-published_at", "-id"),
    "newest": ("-published_at", "-id"),
    "benefit": (F("economic_benefit").desc(nulls_last=True), "-published_at", "-id"),
}
MODE_FIELDS = {mode: f"listing__mode_{mode}" for mode in TransferListing.Mode.values}


@dataclass
class ShowcaseFilters:
    query: str = ""
    type: str = ""
    field: str = ""
    level: str = ""
    unit: int | None = None
    maturity: int | None = None
    mode: str = ""
    has_patent: bool | None = None
    award: str = ""
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params) -> ShowcaseFilters:
        """From query parameters (a page's GET or the API's), the one parser of both. An empty
        value is no filter; a malformed one (`unit=-1`, a number out of range, an unknown type)
        raises a ValidationError naming the parameter, which the API and the page both answer
        with 400, as the challenge board does."""
        errors: dict[str, str] = {}

        def number(name: str, top: int) -> int | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not 1 <= int(raw) <= top:
                errors[name] = _("Give a whole number from 1 to %(top)s.") % {"top": top}
                return None
            return int(raw)

        def choice(name: str, allowed) -> str:
            raw = params.get(name) or ""
            if raw and raw not in allowed:
                errors[name] = _("“%(value)s” is not one of the choices.") % {"value": raw[:30]}
                return ""
            return raw

        patent = choice("has_patent", ("1", "0"))
        filters = cls(
            query=(params.get("search") or params.get("q") or "")[:100],
            type=choice("type", Achievement.Type.values),
            field=(params.get("field") or "")[:30],
            level=choice("level", Studio.Level.values),
            unit=number("unit", 2**31 - 1),
            maturity=number("maturity", 9),
            mode=choice("mode", MODE_FIELDS),
            has_patent={"1": True, "0": False}.get(patent),
            award=choice("award", Award.values),
            sort=choice("sort", SORTS) or "relevance",
        )
        if errors:
            raise ValidationError({name: [message] for name, message in errors.items()})
        return filters


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    values: list[FacetValue] = field(default_factory=list)
    title: str = ""


def facet_titles() -> dict[str, str]:
    """Each facet's heading in the active language (a call, not a module constant: a constant
    would be translated once, in whatever language was active at import)."""
    return {
        "type": _("Type"),
        "field": _("Field"),
        "level": _("Studio level"),
        "unit": _("Unit"),
        "maturity": _("Maturity"),
        "mode": _("Transfer mode"),
        "has_patent": _("Patent"),
        # What appraisal and selection rounds gave (not a challenge's award of its winner).
        "award": _("Appraisal or selection result"),
    }


def showcase_base() -> QuerySet[Achievement]:
    return Achievement.objects.filter(state=Achievement.State.PUBLISHED)


# A broad search (a word in half the showcase, or none at all) is answered from its newest
# RESULT_WINDOW matches: ranked, paged, counted and faceted among them, so no page sorts, counts or
# groups tens of thousands of rows (0.6 s at 100,000 achievements before). A narrower search
# (fewer matches than the window) is answered exactly. `showcase_count` says which.
RESULT_WINDOW = 1000


@dataclass
class SearchWindow:
    """The ids of the newest matches (at most RESULT_WINDOW), newest first, and whether more
    matched. Read once per page: the results, their count and the facets are all taken from it."""

    ids: list[int]
    more: bool

    @property
    def count(self) -> int:
        return len(self.ids)


def showcase_window(filters: ShowcaseFilters) -> SearchWindow:
    """One query: the newest RESULT_WINDOW + 1 matches' ids (walked newest first in
    achievement_state_newest for a common word, through the gram index for a rare one)."""
    ids = list(
        _filtered(filters).order_by("-published_at", "-id").values_list("pk", flat=True)[: RESULT_WINDOW + 1]
    )
    return SearchWindow(ids[:RESULT_WINDOW], len(ids) > RESULT_WINDOW)


def _in_window(window: SearchWindow) -> QuerySet[Achievement]:
    if connection.vendor == "postgresql":
        # One array parameter: an IN list of a thousand literals cost PostgreSQL more to plan
        # (15-20 ms per query on the busy machine) than to run.
        return showcase_base().filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [window.ids]))
    return showcase_base().filter(pk__in=window.ids)


def showcase_count(filters: ShowcaseFilters) -> int:
    """How many achievements match, counted up to RESULT_WINDOW + 1: above the window the page
    says "1,000+", and ranks and facets the newest RESULT_WINDOW."""
    window = showcase_window(filters)
    return window.count + (1 if window.more else 0)


def _filtered(filters: ShowcaseFilters) -> QuerySet[Achievement]:
    achievements = showcase_base()
    if filters.type:
        achievements = achievements.filter(type=filters.type)
    if filters.field:
        achievements = achievements.filter(
            pk__in=FieldTag.achievements.through.objects.filter(fieldtag__name=filters.field).values(
                "achievement_id"
            )
        )
    if filters.level:
        achievements = achievements.filter(studio__level=filters.level)
    if filters.unit:
        achievements = achievements.filter(unit_id=filters.unit)
    if filters.maturity:
        achievements = achievements.filter(listing__maturity=filters.maturity)
    if filters.mode in MODE_FIELDS:
        achievements = achievements.filter(**{MODE_FIELDS[filters.mode]: True})
    if filters.has_patent is not None:
        achievements = achievements.filter(has_patent=filters.has_patent)
    if filters.award:
        achievements = achievements.filter(award=filters.award)
    return search.matching(achievements, filters.query)


def showcase_results(filters: ShowcaseFilters, window: SearchWindow | None = None) -> QuerySet[Achievement]:
    """The published achievements matching the filters and the query, sorted (relevance falls
    back to newest without a query)."""
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "relevance" and not search.query_terms(filters.query):
        sort = "newest"
    return (
        _in_window(window or showcase_window(filters))
        .annotate(relevance=search.relevance(filters.query))
        .select_related("studio", "team", "unit", "listing")
        .prefetch_related("fields")
        .order_by(*SORTS[sort])
    )


def _counts(achievements: QuerySet, path: str) -> dict:
    return {
        row[path]: row["n"]
        for row in achievements.order_by().values(path).annotate(n=Count("pk"))
        if row[path] not in (None, "")
    }


def _fixed_facets() -> list[tuple[str, dict[str, Any], dict[str, Q]]]:
    """The facets whose values are known in advance: (name, labels, condition of each value)."""
    levels = dict(Studio.Level.choices)
    return [
        ("type", dict(Achievement.Type.choices), {v: Q(type=v) for v in Achievement.Type.values}),
        ("level", levels, {v: Q(studio__level=v) for v in levels}),
        (
            "maturity",
            {str(n): _("TRL %(level)s") % {"level": n} for n in range(1, 10)},
            {str(n): Q(listing__maturity=n) for n in range(1, 10)},
        ),
        (
            "mode",
            dict(TransferListing.Mode.choices),
            {m: Q(**{path: True}) for m, path in MODE_FIELDS.items()},
        ),
        (
            "has_patent",
            {"1": _("With a patent"), "0": _("Without a patent")},
            {"1": Q(has_patent=True), "0": Q(has_patent=False)},
        ),
        ("award", dict(Award.choices), {v: Q(award=v) for v in Award.values}),
    ]


def showcase_facets(filters: ShowcaseFilters, window: SearchWindow | None = None) -> list[Facet]:
    """Counts of each facet's values over the published achievements matching the current filters
    and query (the newest RESULT_WINDOW of them when more match). Three queries whatever the data:
    the facets with known values are counted in one pass (one conditional count per value),
    fields and units grouped."""
    matched = _in_window(window or showcase_window(filters))
    fixed = _fixed_facets()
    counts = matched.order_by().aggregate(
        **{
            f"{name}__{value}": Count("pk", filter=condition)
            for name, _labels, conditions in fixed
            for value, condition in conditions.items()
        }
    )
    selected = {
        "type": filters.type,
        "level": filters.level,
        "maturity": str(filters.maturity or ""),
        "mode": filters.mode,
        "has_patent": "" if filters.has_patent is None else ("1" if filters.has_patent else "0"),
        "award": filters.award,
    }
    facets = {
        name: Facet(
            name,
            [
                FacetValue(value, str(label), counts[f"{name}__{value}"], value == selected[name])
                for value, label in labels.items()
                if counts[f"{name}__{value}"]
            ],
        )
        for name, labels, _conditions in fixed
    }
    fields = (
        FieldTag.objects.filter(achievements__in=matched.order_by().values("pk"))
        .annotate(n=Count("achievements"))
        .order_by("-n", "name")[:20]
    )
    facets["field"] = Facet(
        "field",
        [FacetValue(tag.name, tag.name, tag.n, tag.name == filters.field) for tag in fields],  # type: ignore[attr-defined]
    )
    units = sorted(_counts(matched, "unit").items(), key=lambda item: -item[1])[:20]
    names = dict(Unit.objects.filter(pk__in=[pk for pk, _n in units]).values_list("pk", "name"))
    facets["unit"] = Facet(
        "unit", [FacetValue(str(pk), names.get(pk, ""), n, pk == filters.unit) for pk, n in units]
    )
    titles = facet_titles()
    for name, facet in facets.items():
        facet.title = titles[name]
    return [facets[name] for name in titles]


def achievement_file_for(user, pk: int, file_id: int) -> AchievementFile:
    """One file of an achievement `user` may see (404 otherwise)."""
    return get_object_or_404(AchievementFile, pk=file_id, achievement=achievement_for(user, pk))


def outcome_for(user, pk: int) -> ChallengeOutcome:
    return get_object_or_404(outcomes_for(user), pk=pk)


def studio_of_record(pk: int) -> Studio:
    return get_object_or_404(Studio, pk=pk)


def achievement_for(user, pk: int) -> Achievement:
    """One achievement with what its page needs: 404 if there is none, and 404 too if `user` may
    not see it (a draft's existence is not revealed)."""
    achievement = get_object_or_404(
        Achievement.objects.select_related(
            "studio__leader", "studio__unit", "team__lead", "unit", "source_outcome__challenge", "listing"
        ).prefetch_related("fields", "contributors", "patents", "files"),
        pk=pk,
    )
    if not permissions.can_view_achievement(user, achievement):
        raise Http404
    return achievement


def related_achievements(achievement: Achievement, *, limit: int = 4) -> list[Achievement]:
    """Published achievements sharing a field, else of the same type: never a draft."""
    tags = achievement.fields.values("pk")
    candidates = showcase_base().exclude(pk=achievement.pk).select_related("studio", "team", "unit")
    related: list[Achievement] = []
    related.extend(
        candidates.filter(fields__in=tags)
        .alias(shared=Count("fields", distinct=True))
        .order_by("-shared", "-published_at")[:limit]
    )
    if len(related) < limit:
        seen = [item.pk for item in related]
        related.extend(
            candidates.filter(type=achievement.type)
            .exclude(pk__in=seen)
            .order_by("-published_at")[: limit - len(related)]
        )
    return related


def badges_of(achievement: Achievement) -> list[RoundEntry]:
    """The published round results of an achievement (its badges), best first."""
    return list(
        achievement.round_entries.filter(round__status=Round.Status.PUBLISHED)
        .exclude(result="")
        .select_related("round")
        .order_by("round__published_at")
    )


def my_achievements(user) -> QuerySet[Achievement]:
    """The achievements of the studios and teams `user` belongs to, in every state."""
    if not user.is_authenticated:
        return Achievement.objects.none()
    return (
        Achievement.objects.filter(Q(studio__in=my_studios(user)) | Q(team__in=my_teams(user)))
        .select_related("studio", "team", "unit")
        .order_by("-updated_at")
    )


def awaiting_publication(user) -> QuerySet[Achievement]:
    if not user.is_authenticated:
        return Achievement.objects.none()
    submitted = Achievement.objects.filter(state=Achievement.State.SUBMITTED).select_related(
        "studio", "team", "unit"
    )
    if user.is_superuser:
        return submitted
    return submitted.filter(admin_scope_filter(user, "unit"))


def outcomes_for(user) -> QuerySet[ChallengeOutcome]:
    """Accepted challenge outcomes `user` may turn into an achievement: they lead a winner, and
    the outcome is not in the showcase yet."""
    if not user.is_authenticated:
        return ChallengeOutcome.objects.none()
    return (
        ChallengeOutcome.objects.filter(achievement__isnull=True)
        .filter(
            Q(challenge__bids__status="won", challenge__bids__studio__leader=user)
            | Q(challenge__bids__status="won", challenge__bids__team__lead=user)
        )
        .select_related("challenge")
        .distinct()
    )


def outcome_prefill(outcome: ChallengeOutcome) -> dict:
    """What an achievement made from an accepted challenge starts with."""
    challenge = outcome.challenge
    winner = challenge.bids.filter(status="won").select_related("studio", "team").first()
    return {
        "title": challenge.title,
        "summary": (outcome.summary or challenge.statement)[:500],
        "description": "\n\n".join(
            part for part in (challenge.statement, challenge.acceptance_criteria, outcome.summary) if part
        ),
        "type": Achievement.Type.TECHNICAL,
        "fields": list(challenge.fields),
        "studio": winner.studio if winner else None,
        "team": winner.team if winner else None,
    }


# Rounds ------------------------------------------------------------------------------------------


def rounds_for(user) -> QuerySet[Round]:
    return Round.objects.filter(permissions.rounds_visible_filter(user)).annotate(
        entry_count=Count("entries", distinct=True)
    )


@dataclass
class RoundForViewer:
    """A round as one viewer may see it: the ranking only where `permissions.can_see_ranking`
    allows (None otherwise), and what the viewer may do to it. The page and the API both start
    here."""

    round: Round
    criteria: list[RoundCriterion]
    ranking: list[RankedEntry] | None
    panel: list | None  # the experts, for whoever runs the round (None for everyone else)
    manages: bool
    can_score: bool
    can_run: bool
    can_publish: bool


def round_for(user, pk: int) -> RoundForViewer:
    """The round `pk` for `user`: 404 where they may not see it (a running round's existence is
    not revealed), with or without its ranking."""
    round = get_object_or_404(Round.objects.select_related("opened_by"), pk=pk)
    if not permissions.can_see_round(user, round):
        raise Http404
    return RoundForViewer(
        round=round,
        criteria=list(round.criteria.all()),
        ranking=round_ranking(round) if permissions.can_see_ranking(user, round) else None,
        panel=list(round.experts.all()) if permissions.can_manage_round(user, round) else None,
        manages=permissions.can_manage_round(user, round),
        can_score=permissions.can_score_round(user, round),
        can_run=permissions.can_run_round(user, round),
        can_publish=permissions.can_publish_results(user, round),
    )


def round_candidates(round: Round, *, limit: int = 50) -> QuerySet[Achievement]:
    """Published achievements not yet entered in the round, newest first."""
    return showcase_base().exclude(round_entries__round=round).order_by("-published_at")[:limit]


def round_entry(round: Round, entry_pk: int) -> RoundEntry:
    return get_object_or_404(RoundEntry, pk=entry_pk, round=round)


def showcase_achievement(pk: int) -> Achievement:
    """A published achievement (what a round may enter), or 404."""
    return get_object_or_404(showcase_base(), pk=pk)


@dataclass
class RankedEntry:
    entry: RoundEntry
    total: Decimal | None  # weighted score out of 100, averaged over the experts who scored
    rank: int | None
    scored_by: int


def round_ranking(round: Round) -> list[RankedEntry]:
    """Each entry's weighted total: for every criterion the experts' average, weighted; entries
    ranked by total (unscored ones last). Two queries whatever the size of the round."""
    weights = {criterion.pk: Decimal(criterion.weight) for criterion in round.criteria.all()}
    averages = (
        RoundScore.objects.filter(entry__round=round)
        .values("entry_id", "criterion_id")
        .annotate(mean=Avg("value"), experts=Count("expert", distinct=True))
    )
    totals: dict[int, Decimal] = {}
    scorers: dict[int, int] = {}
    for row in averages:
        totals[row["entry_id"]] = (
            totals.get(row["entry_id"], Decimal(0))
            + Decimal(row["mean"]) * weights[row["criterion_id"]] / 100
        )
        scorers[row["entry_id"]] = max(scorers.get(row["entry_id"], 0), row["experts"])
    entries = list(
        round.entries.select_related("achievement__studio", "achievement__team", "achievement__unit")
    )
    ranked = sorted(
        entries, key=lambda entry: (entry.pk not in totals, -totals.get(entry.pk, Decimal(0)), entry.pk)
    )
    return [
        RankedEntry(
            entry=entry,
            total=totals[entry.pk].quantize(Decimal("0.01")) if entry.pk in totals else None,
            rank=position if entry.pk in totals else None,
            scored_by=scorers.get(entry.pk, 0),
        )
        for position, entry in enumerate(ranked, start=1)
    ]


def suggested_results(round: Round, ranking: list[RankedEntry]) -> dict[int, str]:
    """A starting point the admin may change before publishing: in a selection the first gets
    the first prize, the next two the second, the next three the third; in an appraisal every
    entry scoring 60 or more is appraised."""
    results: dict[int, str] = {}
    scored = [item for item in ranking if item.total is not None]
    if round.kind == Round.Kind.APPRAISAL:
        return {item.entry.pk: Award.APPRAISED if item.total >= 60 else "" for item in scored}  # type: ignore[operator]
    for position, item in enumerate(scored):
        results[item.entry.pk] = (
            Award.FIRST
            if position < 1
            else Award.SECOND
            if position < 3
            else Award.THIRD
            if position < 6
            else ""
        )
    return results


def entries_to_score(user, round: Round) -> list[dict]:
    """For a panel expert: each entry, whether they are recused from it, and their scores so far."""
    recused = dict(round.entries.filter(recusals__expert=user).values_list("pk", "recusals__reason"))
    mine: dict[int, dict[int, RoundScore]] = {}
    for score in RoundScore.objects.filter(entry__round=round, expert=user):
        mine.setdefault(score.entry_id, {})[score.criterion_id] = score
    return [
        {
            "entry": entry,
            "recused": entry.pk in recused,
            "reason": recused.get(entry.pk, ""),
            "scores": mine.get(entry.pk, {}),
        }
        for entry in round.entries.select_related("achievement__studio", "achievement__team")
    ]


# Transfer ----------------------------------------------------------------------------------------


def listing_for(user, achievement: Achievement) -> TransferListing | None:
    """The achievement's transfer listing as `user` may see it: its phone and e-mail blanked
    unless `permissions.can_see_listing_contact` (on a copy: the stored row is never touched).
    `contact_visible` says which. The page and the API both read it from here."""
    listing = getattr(achievement, "listing", None)
    if listing is None:
        return None
    shown = copy.copy(listing)
    shown.contact_visible = permissions.can_see_listing_contact(user, listing)  # type: ignore[attr-defined]
    if not shown.contact_visible:  # type: ignore[attr-defined]
        shown.contact_phone = shown.contact_email = ""
    return shown


def public_listing(listing: TransferListing | None) -> TransferListing | None:
    """A listing as the public lists show it: never its contact details."""
    if listing is None:
        return None
    shown = copy.copy(listing)
    shown.contact_visible = False  # type: ignore[attr-defined]
    shown.contact_phone = shown.contact_email = ""
    return shown


def inquiries_for(user) -> QuerySet[Inquiry]:
    if not user.is_authenticated:
        return Inquiry.objects.none()
    return (
        Inquiry.objects.filter(permissions.inquiries_of_filter(user))
        .select_related("listing__achievement", "inquirer__unit")
        .order_by("-updated_at", "-id")
    )


def inquiry_for(user, pk: int) -> Inquiry:
    inquiry = get_object_or_404(
        Inquiry.objects.select_related(
            "listing__achievement__studio__leader", "listing__achievement__team__lead", "inquirer__unit"
        ),
        pk=pk,
    )
    if not permissions.can_see_inquiry(user, inquiry):
        raise Http404
    return inquiry


@dataclass
class ShowcaseFigures:
    published: int
    by_type: list[tuple[str, int]]
    awards: list[tuple[str, int]]
    cases: int
    case_value: Decimal
    cases_by_mode: list[tuple[str, int]]
    total_benefit: Decimal


def showcase_figures() -> ShowcaseFigures:
    published = showcase_base()
    types = dict(published.order_by().values_list("type").annotate(n=Count("pk")))
    awards = dict(published.exclude(award="").order_by().values_list("award").annotate(n=Count("pk")))
    cases = TransferCase.objects.aggregate(n=Count("pk"), value=Sum("value"))
    modes = dict(TransferCase.objects.order_by().values_list("mode").annotate(n=Count("pk")))
    return ShowcaseFigures(
        published=sum(types.values()),
        by_type=[(str(label), types.get(value, 0)) for value, label in Achievement.Type.choices],
        awards=[(str(label), awards.get(value, 0)) for value, label in Award.choices],
        cases=cases["n"],
        case_value=cases["value"] or Decimal(0),
        cases_by_mode=[(str(label), modes.get(value, 0)) for value, label in TransferListing.Mode.choices],
        total_benefit=published.aggregate(total=Sum("economic_benefit"))["total"] or Decimal(0),
    )


@dataclass
class StudioRecord:
    published: int
    appraised: int
    awards: list[tuple[str, int]]
    patents: int
    benefit: Decimal
    transfer_cases: int


def studio_record(studio: Studio) -> StudioRecord:
    """A studio's showcase record: what counts toward its rating and its honours."""
    published = showcase_base().filter(studio=studio)
    results = dict(
        RoundEntry.objects.filter(achievement__studio=studio, round__status=Round.Status.PUBLISHED)
        .exclude(result="")
        .order_by()
        .values_list("result")
        .annotate(n=Count("pk"))
    )
    return StudioRecord(
        published=published.count(),
        appraised=results.get(Award.APPRAISED, 0),
        awards=[
            (str(Award(value).label), results.get(value, 0))
            for value in (Award.FIRST, Award.SECOND, Award.THIRD)
        ],
        patents=Patent.objects.filter(achievement__in=published).count(),
        benefit=published.aggregate(total=Sum("economic_benefit"))["total"] or Decimal(0),
        transfer_cases=TransferCase.objects.filter(inquiry__listing__achievement__studio=studio).count(),
    )
