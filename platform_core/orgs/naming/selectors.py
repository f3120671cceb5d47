"""Reads of naming rounds for one viewer: the page and the API both fetch through these, so what a
viewer may see (sealed scores above all) is decided once, in permissions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..figures import registered_studio_figures
from ..models import Studio
from ..standards import Standard
from . import permissions, services
from .models import EvidenceFile, NamingRound, NamingScore, Nomination, Objection, StudioTitle


def rounds_for(user) -> QuerySet[NamingRound]:
    if not permissions.can_see_rounds(user):
        return NamingRound.objects.none()
    return NamingRound.objects.select_related("opened_by").order_by("-created_at", "-id")


def _round(user, pk: int) -> NamingRound:
    if not permissions.can_see_rounds(user):
        raise Http404
    return get_object_or_404(NamingRound.objects.select_related("opened_by"), pk=pk)


def weight_rows(round: NamingRound) -> list[tuple[str, str, int]]:
    """(standard, its label, its weight) in the standards' order."""
    return [(s.value, str(s.label), int(round.weights.get(s.value, 0))) for s in Standard]


@dataclass
class RoundForViewer:
    round: NamingRound
    weights: list[tuple[str, str, int]]
    can_manage: bool
    panel: list | None  # the admin and the panel see who sits on it
    nominatable: list[Studio]
    nominations: list[Nomination]  # those the viewer may open, without scores
    ranking: list[Nomination] | None  # totals and ranks: the admin, once scoring is closed
    named_list: list[Nomination] | None  # the published list (公示), for every signed-in user
    to_score: list[dict]  # the expert's rows: nomination, recused, scored
    can_add_expert: bool = False
    can_start_scoring: bool = False
    can_close_scoring: bool = False
    can_publish: bool = False
    can_confer: bool = False
    confer_refusal: str = ""
    open_objections: int = 0
    scored_by: dict[int, int] = field(default_factory=dict)


def round_for(user, pk: int) -> RoundForViewer:
    round = _round(user, pk)
    manage = permissions.can_manage_round(user, round)
    expert = permissions.on_panel(user, round)
    status = NamingRound.Status
    visible = (
        Nomination.objects.filter(permissions.nominations_visible_filter(user), round=round)
        .select_related("studio__unit", "studio__leader")
        .order_by("studio__name", "pk")
    )
    ranking = None
    scored_by: dict[int, int] = {}
    if permissions.can_see_all_scores(user, round):
        ranking = list(
            round.nominations.exclude(total__isnull=True)
            .select_related("studio__unit")
            .order_by("rank", "pk")
        )
        scored_by = {pk: count for pk, (_total, count) in services.weighted_totals(round).items()}
    named_list = None
    if round.status in permissions.PUBLISHED_STATUSES:
        named_list = list(
            round.nominations.filter(status__in=permissions.ON_THE_LIST)
            .select_related("studio__unit")
            .order_by("rank", "studio__name")
        )
    to_score = []
    if expert and round.status == status.SCORING:
        recused = set(round.nominations.filter(recusals__expert=user).values_list("pk", flat=True))
        mine: dict[int, int] = {}
        for score in NamingScore.objects.filter(nomination__round=round, expert=user):
            mine[score.nomination_id] = mine.get(score.nomination_id, 0) + 1
        for nomination in round.nominations.filter(status=Nomination.Status.SUBMITTED).select_related(
            "studio"
        ):
            to_score.append(
                {
                    "nomination": nomination,
                    "recused": nomination.pk in recused,
                    "scored": mine.get(nomination.pk, 0) == len(Standard.values),
                }
            )
    refusal = permissions.confer_refusal(round) if manage and round.status == status.NOTICE else ""
    return RoundForViewer(
        round=round,
        weights=weight_rows(round),
        can_manage=manage,
        panel=list(round.experts.order_by("username")) if manage or expert else None,
        nominatable=list(
            permissions.nominatable_studios(user, round).select_related("unit").order_by("name")
        ),
        nominations=list(visible),
        ranking=ranking,
        named_list=named_list,
        to_score=to_score,
        can_add_expert=manage and round.status in (status.NOMINATING, status.SCORING),
        can_start_scoring=permissions.can_run(user, round, status.NOMINATING),
        can_close_scoring=permissions.can_run(user, round, status.SCORING),
        can_publish=permissions.can_run(user, round, status.DECIDING),
        can_confer=manage and round.status == status.NOTICE and not refusal,
        confer_refusal=refusal,
        open_objections=(
            Objection.objects.filter(nomination__round=round, status=Objection.Status.OPEN).count()
            if manage
            else 0
        ),
        scored_by=scored_by,
    )


@dataclass
class StandardRow:
    standard: str
    label: str
    weight: int
    text: str
    figures: list[dict]
    evidence: list[EvidenceFile]
    my_score: Decimal | None = None


@dataclass
class NominationForViewer:
    nomination: Nomination
    round: NamingRound
    can_read_assessment: bool
    can_edit: bool
    rows: list[StandardRow]  # empty for who may not read the self-assessment
    figures_snapshotted: bool
    can_score: bool
    recused_reason: str  # for the expert recused from it
    expert_scores: list[dict] | None  # every expert's scores: the admin once scoring is closed
    show_total: bool
    can_object: bool
    objections: list[Objection]
    can_answer: bool


def _figure_rows(nomination: Nomination) -> tuple[list[dict], bool]:
    """The evidence figures: as snapshotted at submission, or the platform's current ones. A label
    is the registered figure's (in the reader's language) where it is still registered."""
    labels = {figure.key: str(figure.label) for figure in registered_studio_figures()}
    if nomination.submitted_at is not None:
        rows = [dict(row, label=labels.get(row["key"], row["label"])) for row in nomination.figures]
        return rows, True
    return services.figures_for(nomination.studio), False


def nomination_for(user, pk: int) -> NominationForViewer:
    """One nomination for `user`: 404 when it is not theirs to see (missing or not, alike)."""
    queryset = Nomination.objects.select_related(
        "round__opened_by", "studio__unit", "studio__leader", "nominated_by"
    )
    nomination = queryset.filter(permissions.nominations_visible_filter(user), pk=pk).first()
    if nomination is None:
        raise Http404
    round = nomination.round
    reads = permissions.can_read_assessment(user, nomination)
    rows: list[StandardRow] = []
    snapshotted = False
    can_score = permissions.can_score(user, nomination)
    if reads:
        answers = {answer.standard: answer.text for answer in nomination.answers.all()}
        figures, snapshotted = _figure_rows(nomination)
        evidence: dict[str, list[EvidenceFile]] = {}
        for item in nomination.evidence.all():
            evidence.setdefault(item.standard, []).append(item)
        mine = (
            {
                score.standard: score.value
                for score in NamingScore.objects.filter(nomination=nomination, expert=user)
            }
            if permissions.on_panel(user, round)
            else {}
        )
        weights = {value: weight for value, _label, weight in weight_rows(round)}
        for standard in Standard:
            standard_figures = [row for row in figures if row["standard"] == standard.value]
            text = answers.get(standard.value)
            if text is None and not snapshotted:
                text = services.prefilled_text(figures, standard.value)
            rows.append(
                StandardRow(
                    standard=standard.value,
                    label=str(standard.label),
                    weight=weights[standard.value],
                    text=text or "",
                    figures=standard_figures,
                    evidence=evidence.get(standard.value, []),
                    my_score=mine.get(standard.value),
                )
            )
    recusal = nomination.recusals.filter(expert=user).first() if user.is_authenticated else None
    expert_scores = None
    if permissions.can_see_all_scores(user, round):
        by_expert: dict[int, dict] = {}
        for score in (
            NamingScore.objects.filter(nomination=nomination)
            .select_related("expert")
            .order_by("expert__username")
        ):
            entry = by_expert.setdefault(score.expert_id, {"expert": score.expert, "scores": {}})
            entry["scores"][score.standard] = score.value
        expert_scores = [
            {"expert": entry["expert"], "values": [entry["scores"].get(s.value) for s in Standard]}
            for entry in by_expert.values()
        ]
    on_list = round.status in permissions.PUBLISHED_STATUSES and nomination.status in permissions.ON_THE_LIST
    objections = list(
        Objection.objects.filter(
            permissions.objections_visible_filter(user), nomination=nomination
        ).select_related("author", "answered_by")
    )
    return NominationForViewer(
        nomination=nomination,
        round=round,
        can_read_assessment=reads,
        can_edit=permissions.can_edit_assessment(user, nomination),
        rows=rows,
        figures_snapshotted=snapshotted,
        can_score=can_score,
        recused_reason=(
            # The expert reads why, without the studio named again (it is on the page).
            "\n".join(
                services.conflict_reasons(user, [services.studio_party(nomination.studio)], named=False)
            )
            if recusal
            else ""
        ),
        expert_scores=expert_scores,
        show_total=expert_scores is not None or on_list,
        can_object=permissions.can_object(user, nomination),
        objections=objections,
        can_answer=permissions.can_manage_round(user, round) and round.status == NamingRound.Status.NOTICE,
    )


def nomination_for_action(user, pk: int) -> Nomination:
    """The nomination a write names: the service checks the write; here only that it is visible."""
    return nomination_for(user, pk).nomination


def objection_for(user, pk: int) -> Objection:
    objection = (
        Objection.objects.filter(permissions.objections_visible_filter(user), pk=pk)
        .select_related("nomination__round")
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def evidence_for_download(user, pk: int) -> EvidenceFile:
    """An evidence file, for who reads the self-assessment it belongs to (404 alike otherwise)."""
    evidence = (
        EvidenceFile.objects.filter(
            nomination__in=Nomination.objects.filter(permissions.assessment_readers_filter(user)), pk=pk
        )
        .select_related("nomination")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


@dataclass
class TitleHistory:
    titles: list[StudioTitle]
    assessments: list[dict]  # {"nomination", "round", "show_total"}


def studio_title_history(user, studio: Studio) -> TitleHistory:
    """Titles and assessments over the years, for the studio's page: every title (revoked ones with
    their reason and date), and the rounds the studio took part in that the viewer may see."""
    if not permissions.can_see_titles(user):
        return TitleHistory([], [])
    titles = list(StudioTitle.objects.filter(studio=studio).select_related("round", "revoked_in"))
    nominations = (
        Nomination.objects.filter(permissions.nominations_visible_filter(user), studio=studio)
        .select_related("round")
        .order_by("-round__year", "-round__created_at")
    )
    assessments = [
        {
            "nomination": nomination,
            "round": nomination.round,
            "show_total": nomination.round.status in permissions.PUBLISHED_STATUSES,
        }
        for nomination in nominations
    ]
    return TitleHistory(titles, assessments)


def title_for(user, pk: int) -> StudioTitle:
    if not permissions.can_see_titles(user):
        raise PermissionDenied
    return get_object_or_404(StudioTitle.objects.select_related("studio__unit", "round__opened_by"), pk=pk)
