"""Naming rounds below the browser: levels of admin grants, opening, nominating, the self-assessment
and its snapshot, scoring with recusal and sealed scores, the public notice with objections, the
conferral of titles, and a failed re-assessment that revokes a title (摘牌)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from platform_core.accounts.models import AdminGrant
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from platform_core.orgs import figures
from platform_core.orgs.models import NamingRound, Nomination, Objection, Studio, StudioTitle
from platform_core.orgs.naming import events, permissions, selectors, services
from platform_core.orgs.permissions import admin_covers_unit
from platform_core.orgs.standards import Standard
from tests.cast import ROLES
from tests.orgs.naming import (
    TEXTS,
    WEIGHTS,
    nominate_and_submit,
    open_round,
    pass_notice,
    round_under_notice,
    score_all,
)

pytestmark = pytest.mark.django_db

COUNTS: dict[int, int] = {}


@pytest.fixture
def counted():
    """A figure the platform holds, evidencing 攻坚克难突出: a count we change at will."""
    COUNTS.clear()
    figures.register_studio_figure(
        figures.StudioFigure(
            key="test_challenges_won",
            label="Challenges won (test)",
            standard=Standard.BREAKTHROUGH,
            compute=lambda ids: {pk: COUNTS[pk] for pk in ids if pk in COUNTS},
        )
    )
    yield COUNTS
    figures.unregister_studio_figure("test_challenges_won")


def counted_figure(row) -> dict:
    # The domain apps register their own figures for the same standard beside the test's.
    return next(figure for figure in row.figures if figure["key"] == "test_challenges_won")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- levels ---------------------------------------------------------------------------------------


def test_a_grant_acts_at_a_level_and_a_national_grant_covers_every_unit(cast):
    assert permissions.admin_level(cast.admin) == "group"
    assert permissions.admin_level(cast.superadmin) == "national"
    assert permissions.admin_level(cast.outsider) is None
    assert permissions.round_levels_for(cast.admin) == ["group", "provincial"]
    assert not admin_covers_unit(cast.outsider, cast.unit_c)
    AdminGrant.objects.create(user=cast.outsider, level=AdminGrant.Level.NATIONAL)
    assert permissions.admin_level(cast.outsider) == "national"
    assert all(admin_covers_unit(cast.outsider, unit) for unit in (cast.unit_a, cast.unit_b, cast.unit_c))


def test_a_grant_without_group_or_region_must_be_national(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AdminGrant.objects.create(user=cast.outsider, level=AdminGrant.Level.GROUP)


# --- opening --------------------------------------------------------------------------------------


def test_an_admin_opens_rounds_at_their_level_or_below_only(cast):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            open_round(cast, actor=cast.admin, level="national")
        assert "your own level or below" in str(refused.value)
    group_round = open_round(cast, actor=cast.admin, level="group")
    assert group_round.status == NamingRound.Status.NOMINATING and group_round.period_years == 2
    assert open_round(cast, actor=cast.admin, level="provincial").level == "provincial"


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("superadmin", "admin", "admin2")])
def test_who_is_no_union_admin_opens_no_round(cast, role):
    with pytest.raises(PermissionDenied):
        open_round(cast, actor=getattr(cast, role), level="provincial")


def test_the_weights_add_up_to_100_and_the_schedule_is_in_order(cast):
    with pytest.raises(ValidationError, match="weights"):
        open_round(cast, weights={**WEIGHTS, "support": 16})
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        open_round(cast, notice_ends_on=today + datetime.timedelta(days=1))
    assert not NamingRound.objects.exists()


# --- nominating -----------------------------------------------------------------------------------


def test_a_leader_nominates_their_studio_and_an_admin_over_it_another(cast):
    round = open_round(cast)
    own = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    by_admin = services.nomination_create(
        actor=cast.admin, round=round, studio=cast.studio2, statement="推荐"
    )
    assert own.nominated_by == cast.leader1 and by_admin.nominated_by == cast.admin
    # The leader of studio2 learns of the nomination the admin made.
    assert Notification.objects.filter(recipient=cast.leader2, kind=events.NOMINATED).exists()
    assert AuditEntry.objects.filter(action=events.NOMINATED).count() == 2


@pytest.mark.parametrize("role", ["admin2", "member", "leader2", "expert", "outsider", "poster"])
def test_only_the_leader_or_an_admin_over_the_unit_nominates(cast, role):
    round = open_round(cast)
    with pytest.raises(PermissionDenied):
        services.nomination_create(actor=getattr(cast, role), round=round, studio=cast.studio1)
    assert not Nomination.objects.exists()


def test_a_studio_at_or_above_the_rounds_level_or_delisted_is_not_eligible(cast):
    group_round = open_round(cast, actor=cast.admin, level="group")
    with pytest.raises(ValidationError):  # studio1 is a group-level studio already
        services.nomination_create(actor=cast.leader1, round=group_round, studio=cast.studio1)
    from platform_core.orgs.services import studio_delist

    studio_delist(actor=cast.admin, studio=cast.studio2, reason="停止运行")
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=cast.admin, round=group_round, studio=Studio.objects.get(pk=cast.studio2.pk)
        )


def test_a_round_names_only_in_its_admins_scope(cast):
    group_round = open_round(cast, actor=cast.admin2, level="group")  # admin2: group H only
    assert list(permissions.eligible_studios(group_round)) == []
    with pytest.raises(ValidationError):
        services.nomination_create(actor=cast.leader2, round=group_round, studio=cast.studio2)


def test_nominations_close_on_their_date(cast):
    round = open_round(cast)
    NamingRound.objects.filter(pk=round.pk).update(
        nominations_close_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    round.refresh_from_db()
    with pytest.raises(ValidationError):
        services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)


def test_the_conflict_rule_recuses_the_expert_of_the_studios_unit(cast):
    round = open_round(cast)
    first = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    second = services.nomination_create(actor=cast.leader2, round=round, studio=cast.studio2)
    assert list(first.recusals.values_list("expert__username", flat=True)) == ["recused"]
    assert list(second.recusals.values_list("expert__username", flat=True)) == ["expert"]


# --- self-assessment ------------------------------------------------------------------------------


def test_the_self_assessment_is_prefilled_and_its_figures_are_kept_at_submission(cast, counted):
    counted[cast.studio1.pk] = 3
    round = open_round(cast)
    nomination = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    viewed = selectors.nomination_for(cast.leader1, nomination.pk)
    row = next(r for r in viewed.rows if r.standard == "breakthrough")
    assert counted_figure(row)["value"] == "3" and "Challenges won (test): 3" in row.text
    services.assessment_save(actor=cast.leader1, nomination=nomination, texts=TEXTS, submit=True)
    counted[cast.studio1.pk] = 9  # the platform counts more afterwards
    viewed = selectors.nomination_for(cast.admin, nomination.pk)
    row = next(r for r in viewed.rows if r.standard == "breakthrough")
    assert viewed.figures_snapshotted and counted_figure(row)["value"] == "3"
    assert row.text == TEXTS["breakthrough"]
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_a_submitted_self_assessment_cannot_change(cast):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=cast.leader1, nomination=nomination, texts=TEXTS)


def test_submitting_needs_every_standard(cast):
    round = open_round(cast)
    nomination = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=cast.leader1, nomination=nomination, texts={**TEXTS, "support": ""}, submit=True
        )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED


@pytest.mark.parametrize("role", ["member", "admin", "superadmin", "panelist", "outsider"])
def test_only_the_leader_writes_the_self_assessment(cast, role):
    round = open_round(cast)
    nomination = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=getattr(cast, role), nomination=nomination, texts=TEXTS)


def test_evidence_follows_the_upload_policy(cast, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    round = open_round(cast)
    nomination = services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=cast.leader1,
            nomination=nomination,
            standard="talent",
            upload=SimpleUploadedFile("x.exe", b"MZ"),
        )
    evidence = services.evidence_add(
        actor=cast.leader1,
        nomination=nomination,
        standard="talent",
        upload=SimpleUploadedFile("梯队.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    url = reverse("naming:evidence", args=[evidence.pk])
    assert login(cast.member).get(url).status_code == 200
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.recused).get(url).status_code == 404  # recused from studio1
    assert login(cast.panelist).get(url).status_code == 200


def test_who_reads_a_self_assessment(cast):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    readers = {role for role in ROLES if permissions.can_read_assessment(getattr(cast, role), nomination)}
    assert readers == {"superadmin", "admin", "leader1", "member", "panelist", "expert"}
    # The predicate is the filter asked about one nomination: they agree for every role.
    for role in ROLES:
        user = getattr(cast, role)
        assert permissions.can_see_nomination(user, nomination) == (role in readers)


# --- scoring --------------------------------------------------------------------------------------


def test_a_recused_expert_cannot_score_and_scores_are_weighted(cast):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    with pytest.raises(PermissionDenied):
        score_all(cast.recused, nomination, 90)
    for role in ("member", "leader1", "outsider", "admin"):
        with pytest.raises(PermissionDenied):
            score_all(getattr(cast, role), nomination, 90)
    services.score_save(
        actor=cast.panelist,
        nomination=nomination,
        scores={"political": 100, "breakthrough": 50, "achievements": 80, "talent": 60, "support": 40},
    )
    score_all(cast.expert, nomination, 70)
    with pytest.raises(ValidationError):
        score_all(cast.expert, nomination, 101)
    services.scoring_close(actor=cast.superadmin, round=round)
    nomination.refresh_from_db()
    # panelist: (100*20 + 50*20 + 80*25 + 60*20 + 40*15) / 100 = 68; expert: 70; the mean: 69.
    assert nomination.total == Decimal("69.00") and nomination.rank == 1


def test_a_nomination_without_a_submitted_self_assessment_lapses(cast):
    round = open_round(cast)
    lapsing = services.nomination_create(actor=cast.leader2, round=round, studio=cast.studio2)
    services.scoring_start(actor=cast.superadmin, round=round)
    lapsing.refresh_from_db()
    assert lapsing.status == Nomination.Status.LAPSED
    with pytest.raises(PermissionDenied):
        score_all(cast.panelist, lapsing, 50)


def test_scores_are_sealed_until_scoring_closes_and_from_the_studio_always(cast):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    score_all(cast.panelist, nomination, 77)
    score_all(cast.expert, nomination, 63)
    for role in ROLES:
        viewed = (
            selectors.nomination_for(getattr(cast, role), nomination.pk)
            if role in ("superadmin", "admin", "leader1", "member", "panelist", "expert")
            else None
        )
        if viewed is None:
            continue
        assert viewed.expert_scores is None, role
        mine = {row.my_score for row in viewed.rows}
        assert Decimal("63") not in mine or role == "expert", role
        assert Decimal("77") not in mine or role == "panelist", role
    page = login(cast.panelist).get(reverse("naming:nomination", args=[nomination.pk])).content.decode()
    assert "63" not in page.replace(str(nomination.pk), "")
    assert selectors.round_for(cast.superadmin, round.pk).ranking is None
    services.scoring_close(actor=cast.superadmin, round=round)
    assert selectors.nomination_for(cast.superadmin, nomination.pk).expert_scores is not None
    for role in ("leader1", "member", "panelist", "expert"):
        viewed = selectors.nomination_for(getattr(cast, role), nomination.pk)
        assert viewed.expert_scores is None and not viewed.show_total
    leader_page = login(cast.leader1).get(reverse("naming:nomination", args=[nomination.pk])).content.decode()
    assert (
        "77.00" not in leader_page and "63.00" not in leader_page and "data-expert-scores" not in leader_page
    )
    admin_page = (
        login(cast.superadmin).get(reverse("naming:nomination", args=[nomination.pk])).content.decode()
    )
    assert "77.00" in admin_page and "63.00" in admin_page


# --- notice, objections, titles --------------------------------------------------------------------


def test_the_named_list_is_visible_to_everyone_signed_in_during_the_notice(cast):
    round, nomination = round_under_notice(cast)
    assert round.status == NamingRound.Status.NOTICE and nomination.status == Nomination.Status.NAMED
    for role in ROLES:
        viewed = selectors.round_for(getattr(cast, role), round.pk)
        assert [n.pk for n in viewed.named_list or []] == [nomination.pk], role
        assert permissions.can_see_nomination(getattr(cast, role), nomination)
    assert not permissions.can_read_assessment(cast.outsider, nomination)
    page = login(cast.outsider).get(reverse("naming:round", args=[round.pk]))
    assert page.status_code == 200 and cast.studio1.name in page.content.decode()
    assert Client().get(reverse("naming:round", args=[round.pk])).status_code == 302


def test_an_upheld_objection_withdraws_the_nomination_and_a_dismissed_one_keeps_it(cast):
    round, nomination = round_under_notice(cast)
    second = services.objection_lodge(actor=cast.leader2, nomination=nomination, reason="材料不实")
    first = services.objection_lodge(actor=cast.outsider, nomination=nomination, reason="成果有争议")
    assert Notification.objects.filter(recipient=cast.superadmin, kind=events.OBJECTION_LODGED).count() == 2
    with pytest.raises(PermissionDenied):
        services.objection_answer(actor=cast.admin, objection=first, upheld=False, answer="驳回")
    assert not permissions.can_see_objection(cast.leader2, first)
    assert permissions.can_see_objection(cast.outsider, first)
    services.objection_answer(actor=cast.superadmin, objection=first, upheld=False, answer="经核实，成果属实")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NAMED
    assert permissions.confer_refusal(pass_notice(round))  # one objection still open
    services.objection_answer(actor=cast.superadmin, objection=second, upheld=True, answer="材料确有不实")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    assert Notification.objects.filter(recipient=cast.outsider, kind=events.OBJECTION_ANSWERED).exists()
    assert Notification.objects.filter(recipient=cast.leader1, kind=events.OBJECTION_ANSWERED).exists()
    assert AuditEntry.objects.filter(action=events.OBJECTION_ANSWERED).count() == 2
    assert services.titles_confer(actor=cast.superadmin, round=round) == []
    assert not StudioTitle.objects.exists()


def test_objections_only_during_the_notice_and_not_by_the_rounds_admin(cast):
    round, nomination = round_under_notice(cast)
    with pytest.raises(PermissionDenied):
        services.objection_lodge(actor=cast.superadmin, nomination=nomination, reason="x")
    pass_notice(round)
    with pytest.raises(PermissionDenied):
        services.objection_lodge(actor=cast.outsider, nomination=nomination, reason="迟到的异议")
    assert not Objection.objects.exists()


def test_titles_are_conferred_after_the_notice_and_raise_the_level(cast, django_capture_on_commit_callbacks):
    round, _nomination = round_under_notice(cast)
    with translation.override("en"), pytest.raises(ValidationError, match="public notice runs"):
        services.titles_confer(actor=cast.superadmin, round=round)
    pass_notice(round)
    with pytest.raises(PermissionDenied):
        services.titles_confer(actor=cast.admin, round=round)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (title,) = services.titles_confer(actor=cast.superadmin, round=round)
    assert callbacks  # the studio's live event goes out after commit
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert studio.level == "national" and title.previous_level == "group"
    assert (title.level, title.year, title.round_id) == ("national", 2026, round.pk)
    round.refresh_from_db()
    assert round.status == NamingRound.Status.CONCLUDED
    assert Notification.objects.filter(recipient=cast.leader1, kind=events.TITLE_CONFERRED).exists()
    certificate = login(cast.outsider).get(reverse("naming:certificate", args=[title.pk]))
    html = certificate.content.decode()
    assert certificate.status_code == 200 and studio.name in html and "<script" not in html
    assert "certificate.css" in html
    studio_page = login(cast.member).get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert (
        "data-studio-titles" in studio_page and reverse("naming:certificate", args=[title.pk]) in studio_page
    )


# --- re-assessment and delisting -----------------------------------------------------------------


def _titled(cast) -> StudioTitle:
    round, _nomination = round_under_notice(cast)
    pass_notice(round)
    (title,) = services.titles_confer(actor=cast.superadmin, round=round)
    return title


def test_a_failed_reassessment_revokes_the_title_and_history_stays(cast):
    title = _titled(cast)
    review = open_round(cast, kind="reassessment", title="2028 年度复核", year=2028, pass_mark=70)
    (nomination,) = review.nominations.all()  # the holder of the national title is re-assessed
    assert nomination.studio_id == cast.studio1.pk
    assert Notification.objects.filter(recipient=cast.leader1, kind=events.NOMINATED).exists()
    services.assessment_save(actor=cast.leader1, nomination=nomination, texts=TEXTS, submit=True)
    services.scoring_start(actor=cast.superadmin, round=review)
    score_all(cast.panelist, nomination, 55)
    services.scoring_close(actor=cast.superadmin, round=review)
    viewed = selectors.round_for(cast.superadmin, review.pk)
    assert [n.pk for n in viewed.ranking or []] == [nomination.pk]
    services.results_publish(actor=cast.superadmin, round=review, named=[])
    title.refresh_from_db()
    nomination.refresh_from_db()
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert not title.is_active and title.revoked_in_id == review.pk and "55.00" in title.revoked_reason
    assert nomination.status == Nomination.Status.FAILED
    assert studio.level == "group" and studio.is_active  # the title goes, the studio runs on
    assert Notification.objects.filter(recipient=cast.leader1, kind=events.TITLE_REVOKED).exists()
    assert AuditEntry.objects.filter(action=events.TITLE_REVOKED).exists()
    history = selectors.studio_title_history(cast.outsider, studio)
    assert [t.pk for t in history.titles] == [title.pk]
    page = login(cast.outsider).get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert title.revoked_reason in page


def test_a_passed_reassessment_keeps_the_title(cast):
    title = _titled(cast)
    review = open_round(cast, kind="reassessment", title="2028 年度复核", year=2028, pass_mark=70)
    (nomination,) = review.nominations.all()
    services.assessment_save(actor=cast.leader1, nomination=nomination, texts=TEXTS, submit=True)
    services.scoring_start(actor=cast.superadmin, round=review)
    score_all(cast.panelist, nomination, 90)
    services.scoring_close(actor=cast.superadmin, round=review)
    services.results_publish(actor=cast.superadmin, round=review, named=[nomination.pk])
    title.refresh_from_db()
    assert title.is_active and Studio.objects.get(pk=cast.studio1.pk).level == "national"


def test_experts_are_told_when_scoring_opens(cast):
    round = open_round(cast)
    nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    for expert in (cast.panelist, cast.recused, cast.expert):
        assert Notification.objects.filter(recipient=expert, kind=events.SCORING_STARTED).exists()


# --- reminders ------------------------------------------------------------------------------------


def test_the_periodic_job_reminds_a_leader_and_an_expert_once(cast):
    from platform_core.orgs.naming.reminders import naming_send_due_reminders
    from platform_core.orgs.periodic import run

    round = open_round(cast)
    services.nomination_create(actor=cast.leader1, round=round, studio=cast.studio1)
    now = timezone.now()
    assert naming_send_due_reminders(now=now) == {"assessment_reminders": 0, "scoring_reminders": 0}
    later = now + datetime.timedelta(days=13)  # self-assessments close in two days
    assert run(later)["assessment_reminders"] == 1
    assert run(later)["assessment_reminders"] == 0
    assert Notification.objects.filter(recipient=cast.leader1, kind=events.REMINDER).count() == 1

    scored = open_round(cast, title="评分提醒")
    nomination = nominate_and_submit(cast, scored, studio=cast.studio2)
    services.scoring_start(actor=cast.superadmin, round=scored)
    score_all(cast.panelist, nomination, 70)
    sent = run(now + datetime.timedelta(days=18))  # scoring closes in two days
    # `panelist` has scored; `expert` is recused from studio2; `recused` has not scored it.
    assert sent["scoring_reminders"] == 1
    assert Notification.objects.filter(kind=events.REMINDER, recipient=cast.recused).count() == 1


def test_a_holder_that_submits_nothing_in_a_reassessment_loses_the_title(cast):
    title = _titled(cast)
    review = open_round(cast, kind="reassessment", title="2028 年度复核", year=2028)
    services.scoring_start(actor=cast.superadmin, round=review)
    services.scoring_close(actor=cast.superadmin, round=review)
    with pytest.raises(ValidationError):  # an unscored nomination cannot pass
        services.results_publish(actor=cast.superadmin, round=review, named=[review.nominations.get().pk])
    services.results_publish(actor=cast.superadmin, round=review, named=[])
    title.refresh_from_db()
    assert not title.is_active and review.title in title.revoked_reason
    assert review.nominations.get().status == Nomination.Status.FAILED
