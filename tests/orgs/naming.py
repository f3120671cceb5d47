"""Naming rounds made through the services, from the cast (tests/cast.py), for the naming tests,
the URL × role matrix and the forms test.

The national round is opened by `superadmin` (the national level) with `panelist`, `recused` and
`expert` on its panel: studio1 (unit A, group level) and studio2 (unit B, grassroots) are eligible;
the conflict rule recuses `recused` (unit A) from studio1 and `expert` (unit B) from studio2.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from platform_core.orgs.models import EvidenceFile, NamingRound, Nomination, Objection, StudioTitle
from platform_core.orgs.naming import services
from platform_core.orgs.standards import Standard

WEIGHTS = {"political": 20, "breakthrough": 20, "achievements": 25, "talent": 20, "support": 15}
TEXTS = {standard: f"{standard} 的自评说明" for standard in Standard.values}


def schedule(days: int = 10) -> dict:
    today = timezone.localdate()
    return {
        "nominations_close_on": today + datetime.timedelta(days=days),
        "assessment_close_on": today + datetime.timedelta(days=days + 5),
        "scoring_close_on": today + datetime.timedelta(days=days + 10),
        "notice_ends_on": today + datetime.timedelta(days=days + 20),
    }


def open_round(cast, *, actor=None, level="national", kind="naming", experts=None, **extra) -> NamingRound:
    return services.round_open(
        actor=actor or cast.superadmin,
        kind=kind,
        level=level,
        title=extra.pop("title", "2026 年度全国示范性创新工作室命名"),
        year=extra.pop("year", 2026),
        weights=extra.pop("weights", WEIGHTS),
        experts=[cast.panelist, cast.recused, cast.expert] if experts is None else experts,
        **{**schedule(), **extra},
    )


def nominate_and_submit(cast, round: NamingRound, studio=None) -> Nomination:
    studio = studio or cast.studio1
    nomination = services.nomination_create(actor=studio.leader, round=round, studio=studio)
    return services.assessment_save(actor=studio.leader, nomination=nomination, texts=TEXTS, submit=True)


def score_all(expert, nomination: Nomination, value) -> None:
    services.score_save(actor=expert, nomination=nomination, scores=dict.fromkeys(Standard.values, value))


def pass_notice(round: NamingRound) -> NamingRound:
    """The notice period is over (time passes: the end date moves to yesterday)."""
    NamingRound.objects.filter(pk=round.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    round.refresh_from_db()
    return round


def round_under_notice(cast) -> tuple[NamingRound, Nomination]:
    """A national round with studio1 named, under public notice (scored 80 by panelist)."""
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    score_all(cast.panelist, nomination, 80)
    services.scoring_close(actor=cast.superadmin, round=round)
    services.results_publish(actor=cast.superadmin, round=round, named=[nomination.pk])
    round.refresh_from_db()
    nomination.refresh_from_db()
    return round, nomination


@dataclass
class NamingWorld:
    """A national round at each stage, opened by `superadmin` with `panelist` and `recused` (recused
    from studio1) on its panel; `expert` is on no panel here."""

    nominating: NamingRound  # studio1 nominated by leader1, its self-assessment not yet submitted
    draft: Nomination
    evidence: EvidenceFile
    scoring: NamingRound  # studio1's self-assessment submitted, the experts score
    to_score: Nomination
    deciding: NamingRound  # scoring closed: studio1 scored 80 by panelist
    scored: Nomination
    notice: NamingRound  # studio1 named, under public notice; `outsider` objected
    named: Nomination
    objection: Objection
    title: StudioTitle  # conferred in a concluded round


def make_naming_world(cast) -> NamingWorld:
    experts = [cast.panelist, cast.recused]

    def submitted(title: str) -> tuple[NamingRound, Nomination]:
        round = open_round(cast, experts=experts, title=title)
        return round, nominate_and_submit(cast, round)

    nominating = open_round(cast, experts=experts, title="征集中的命名")
    draft = services.nomination_create(actor=cast.leader1, round=nominating, studio=cast.studio1)
    evidence = services.evidence_add(
        actor=cast.leader1,
        nomination=draft,
        standard="talent",
        upload=SimpleUploadedFile("梯队.pdf", b"%PDF-1.4 naming", content_type="application/pdf"),
    )
    scoring, to_score = submitted("评分中的命名")
    deciding, scored = submitted("待决定的命名")
    notice, named = submitted("公示中的命名")
    concluded, conferred = submitted("已授牌的命名")
    services.scoring_start(actor=cast.superadmin, round=scoring)
    for round, nomination in ((deciding, scored), (notice, named), (concluded, conferred)):
        services.scoring_start(actor=cast.superadmin, round=round)
        score_all(cast.panelist, nomination, 80)
        services.scoring_close(actor=cast.superadmin, round=round)
    for round, nomination in ((notice, named), (concluded, conferred)):
        services.results_publish(actor=cast.superadmin, round=round, named=[nomination.pk])
    objection = services.objection_lodge(actor=cast.outsider, nomination=named, reason="材料存疑")
    (title,) = services.titles_confer(actor=cast.superadmin, round=pass_notice(concluded))
    for item in (nominating, scoring, deciding, notice, draft, to_score, scored, named):
        item.refresh_from_db()
    return NamingWorld(
        nominating=nominating,
        draft=draft,
        evidence=evidence,
        scoring=scoring,
        to_score=to_score,
        deciding=deciding,
        scored=scored,
        notice=notice,
        named=named,
        objection=objection,
        title=title,
    )
