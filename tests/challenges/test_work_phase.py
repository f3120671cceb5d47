"""The work phase after the award, through every door: evidence with its file, progress reports
from the lead only, and a race's mid-term review with a delisted or archived winner."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from alliances.models import Team
from challenges import events
from challenges.lifecycle import State
from challenges.models import Attachment, Bid, Challenge, Milestone, ProgressReport
from challenges.services import milestones, reviews
from platform_core.audit.models import AuditEntry
from platform_core.orgs.models import Studio, StudioMembership
from tests.cast import FOUNDED
from tests.challenges.conftest import pass_deadline
from tests.conftest import as_user
from tests.events import make_user

EVIDENCE = b"%PDF-1.4 the pilot's measurements"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _pdf(name: str = "evidence.pdf", content: bytes = EVIDENCE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _winner_member(world):
    """A member (not the leader) of studio2, whose bid wins in `in_state`."""
    member = make_user("member2", world.cast.unit_b)
    StudioMembership.objects.create(
        studio=world.cast.studio2, user=member, role=StudioMembership.Role.MEMBER, joined_on=FOUNDED
    )
    return member


def _first_milestone(challenge: Challenge) -> Milestone:
    return Milestone.objects.filter(challenge=challenge).order_by("position").first()


# Defect 4: evidence with a file.


def test_evidence_handed_in_on_the_page_keeps_its_file_for_those_who_may_see_evidence(client, world, api):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = _first_milestone(challenge)
    client.force_login(world.cast.leader2)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk])).content.decode()
    assert reverse("challenges:milestone_submit", args=[milestone.pk]) in page
    response = client.post(
        reverse("challenges:milestone_submit", args=[milestone.pk]),
        {"evidence_note": "试点数据见附件", "file": _pdf()},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SUBMITTED
    attachment = Attachment.objects.get(milestone=milestone)
    for reader in (world.cast.poster, world.cast.leader2):
        download = as_user(api, reader).get(f"/api/v1/challenge-attachments/{attachment.pk}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == EVIDENCE
    # Those who may not see the evidence do not get the file either.
    assert (
        as_user(api, world.cast.leader1).get(f"/api/v1/challenge-attachments/{attachment.pk}/").status_code
        == 404
    )


def test_a_refused_file_refuses_the_whole_submission(client, world):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = _first_milestone(challenge)
    client.force_login(world.cast.leader2)
    client.post(
        reverse("challenges:milestone_submit", args=[milestone.pk]),
        {"evidence_note": "见附件", "file": SimpleUploadedFile("run.exe", b"MZ")},
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING and milestone.evidence_note == ""
    assert not Attachment.objects.exists()


def test_a_member_who_may_not_hand_in_sees_no_form_and_is_refused_with_nothing_changed(client, world):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = _first_milestone(challenge)
    member = _winner_member(world)
    client.force_login(member)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk]))
    assert page.status_code == 200
    assert reverse("challenges:milestone_submit", args=[milestone.pk]) not in page.content.decode()
    assert not any(row["may_hand_in"] for row in page.context["rows"])
    response = client.post(
        reverse("challenges:milestone_submit", args=[milestone.pk]),
        {"evidence_note": "冒名交付", "file": _pdf()},
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING and milestone.evidence_note == ""
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action=events.MILESTONE_SUBMITTED).exists()


def test_a_delisted_winners_lead_gets_no_evidence_form(client, world):
    challenge = world.in_state(State.IN_PROGRESS)
    Studio.objects.filter(pk=world.cast.studio2.pk).update(
        status=Studio.Status.DELISTED, delisted_reason="考核不合格"
    )
    client.force_login(world.cast.leader2)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk]))
    assert not any(row["may_hand_in"] for row in page.context["rows"])


# Defect 5: progress reports from the lead only, at every door.


def test_a_member_of_the_winning_studio_may_not_report_progress_at_any_door(client, world, api):
    challenge = world.in_state(State.IN_PROGRESS)
    winner = challenge.bids.get(studio=world.cast.studio2)
    member = _winner_member(world)
    with pytest.raises(PermissionDenied):
        milestones.progress_report_add(actor=member, bid=winner, body="成员汇报")
    client.force_login(member)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk]))
    assert [item["may_report"] for item in page.context["progress"]] == [False]
    assert reverse("challenges:progress_report", args=[winner.pk]) not in page.content.decode()
    assert (
        client.post(reverse("challenges:progress_report", args=[winner.pk]), {"body": "成员"}).status_code
        == 403
    )
    refused = as_user(api, member).post(f"/api/v1/bids/{winner.pk}/reports/", {"body": "成员"}, format="json")
    assert refused.status_code == 403
    assert not ProgressReport.objects.exists()
    # The member still reads the reports the lead writes.
    accepted = as_user(api, world.cast.leader2).post(
        f"/api/v1/bids/{winner.pk}/reports/", {"body": "负责人汇报"}, format="json"
    )
    assert accepted.status_code == 201
    assert "负责人汇报" in client.get(reverse("challenges:milestones", args=[challenge.pk])).content.decode()


def test_the_lead_reports_progress_only_while_the_work_is_in_progress(client, world):
    challenge = world.in_state(State.DELIVERED)
    winner = challenge.bids.get(studio=world.cast.studio2)
    with pytest.raises(ValidationError):
        milestones.progress_report_add(actor=world.cast.leader2, bid=winner, body="交付之后")
    client.force_login(world.cast.leader2)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk]))
    assert [item["may_report"] for item in page.context["progress"]] == [False]


# Defect 6: a race whose winner was delisted or archived still holds its mid-term review.


def _race(world) -> tuple[Challenge, Bid, Bid]:
    """A race in progress won by studio1 and the virtual team, the mid-term at milestone 1."""
    challenge = world.published(award_mode="racing", max_winners=2)
    studio_bid = world.bid(challenge, "leader1")
    team_bid = world.bid(challenge, "team")
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "start_review")
    reviews.challenge_award(
        actor=world.cast.poster, challenge=challenge, winners=[studio_bid, team_bid], rationale="并行"
    )
    world.act(challenge, world.cast.poster, "start_work")
    reviews.challenge_set_midterm(actor=world.cast.poster, challenge=challenge, position=1)
    checkpoint = Milestone.objects.get(bid=studio_bid, is_midterm=True)
    milestones.milestone_submit(actor=world.cast.leader1, milestone=checkpoint, evidence_note="中期成果")
    return challenge, studio_bid, team_bid


@pytest.mark.parametrize("inactive", ["archived team", "delisted studio"])
def test_a_race_ends_an_inactive_winner_without_its_evidence(world, inactive):
    challenge, studio_bid, team_bid = _race(world)
    if inactive == "archived team":
        Team.objects.filter(pk=world.team.pk).update(status=Team.Status.ARCHIVED)
        active, ended = studio_bid, team_bid
    else:
        # The team hands in its evidence; then studio1 is delisted before handing in anything more.
        checkpoint = Milestone.objects.get(bid=team_bid, is_midterm=True)
        milestones.milestone_submit(actor=world.teamlead, milestone=checkpoint, evidence_note="中期")
        Milestone.objects.filter(bid=studio_bid, is_midterm=True).update(status=Milestone.Status.RETURNED)
        Studio.objects.filter(pk=world.cast.studio1.pk).update(
            status=Studio.Status.DELISTED, delisted_reason="考核不合格"
        )
        active, ended = team_bid, studio_bid
    reviews.challenge_midterm_review(
        actor=world.cast.poster, challenge=challenge, continuing=[active], ended={ended.pk: "已停止运作"}
    )
    ended.refresh_from_db()
    assert ended.status == Bid.Status.ELIMINATED
    assert Challenge.objects.get(pk=challenge.pk).midterm_reviewed_at is not None


def test_an_inactive_winner_does_not_continue_without_its_evidence_and_active_ones_keep_the_rule(world):
    challenge, studio_bid, team_bid = _race(world)
    Team.objects.filter(pk=world.team.pk).update(status=Team.Status.ARCHIVED)
    with translation.override("en"), pytest.raises(ValidationError, match="mid-term evidence"):
        reviews.challenge_midterm_review(
            actor=world.cast.poster, challenge=challenge, continuing=[studio_bid, team_bid], ended={}
        )
    # An active team without its evidence is not ended by the same door.
    Team.objects.filter(pk=world.team.pk).update(status=Team.Status.ACTIVE)
    with translation.override("en"), pytest.raises(ValidationError, match="mid-term evidence"):
        reviews.challenge_midterm_review(
            actor=world.cast.poster, challenge=challenge, continuing=[studio_bid], ended={team_bid.pk: "落后"}
        )
    assert Bid.objects.get(pk=team_bid.pk).status == Bid.Status.WON


def test_the_midterm_form_starts_unticked_and_is_gone_once_the_review_is_held(client, world):
    challenge, studio_bid, team_bid = _race(world)
    Team.objects.filter(pk=world.team.pk).update(status=Team.Status.ARCHIVED)
    client.force_login(world.cast.poster)
    url = reverse("challenges:milestones", args=[challenge.pk])
    page = client.get(url)
    assert page.context["may_hold_midterm"] is True
    html = page.content.decode()
    assert reverse("challenges:midterm_review", args=[challenge.pk]) in html
    assert 'name="continue"' in html and " checked" not in html
    response = client.post(
        reverse("challenges:midterm_review", args=[challenge.pk]),
        {"continue": [str(studio_bid.pk)], f"end_{team_bid.pk}": "团队已归档"},
    )
    assert response.status_code == 302
    assert Bid.objects.get(pk=team_bid.pk).status == Bid.Status.ELIMINATED
    page = client.get(url)
    assert page.context["may_hold_midterm"] is False
    assert reverse("challenges:midterm_review", args=[challenge.pk]) not in page.content.decode()
    # Held once: a second review, or moving its point, is refused.
    with translation.override("en"), pytest.raises(ValidationError, match="has been held"):
        reviews.challenge_midterm_review(
            actor=world.cast.poster, challenge=challenge, continuing=[studio_bid], ended={}
        )
    with translation.override("en"), pytest.raises(ValidationError, match="has been held"):
        reviews.challenge_set_midterm(actor=world.cast.poster, challenge=challenge, position=2)
