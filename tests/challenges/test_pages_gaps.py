"""The page steps that came after the API's: eligibility and invitations on the post form, the
bidder's answers and progress reports, attachments, each role thinly. The rules are tested on the
services; these check that the pages reach them and show only what the role may see."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from challenges.lifecycle import State
from challenges.models import Attachment, Challenge, Clarification, ProgressReport
from challenges.services import attachments, reviews
from tests.cast import every_role_except
from tests.challenges.conftest import pass_deadline


def _post_form(world, **overrides) -> dict:
    deadline = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    return {
        "unit": world.cast.unit_a.pk,
        "title": "定向课题",
        "statement": "说明",
        "reward_amount": "1000",
        "reward_form": "money",
        "bidding_deadline": deadline,
        "expected_delivery": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "eligibility": "invitation",
        "ip_ownership": "poster",
        "contact_name": "周",
        "award_mode": "single",
        "max_winners": "1",
        "criteria_text": "技术 | 60\n团队 | 40",
        **overrides,
    }


def test_an_invitation_only_challenge_is_posted_submitted_and_seen_only_by_the_invited(client, world):
    cast = world.cast
    client.force_login(cast.poster)
    form = _post_form(world, invited_studios=[cast.studio2.pk], invited_teams=[world.team.pk])
    assert client.post(reverse("challenges:new"), form).status_code == 302
    challenge = Challenge.objects.get(title="定向课题")
    assert list(challenge.invited_studios.all()) == [cast.studio2]
    assert list(challenge.invited_teams.all()) == [world.team]
    client.post(reverse("challenges:transition", args=[challenge.pk]), {"action": "submit"})
    client.force_login(cast.admin)
    client.post(reverse("challenges:transition", args=[challenge.pk]), {"action": "approve"})
    assert Challenge.objects.get(pk=challenge.pk).state == State.PUBLISHED
    client.force_login(cast.leader2)
    assert client.get(reverse("challenges:detail", args=[challenge.pk])).status_code == 200
    client.force_login(cast.leader1)
    assert client.get(reverse("challenges:detail", args=[challenge.pk])).status_code == 404


def test_eligible_units_types_and_levels_are_saved_and_ticked_again_on_the_edit_page(client, world):
    cast = world.cast
    client.force_login(cast.poster)
    form = _post_form(
        world,
        eligibility="restricted",
        eligible_units=[cast.group_g.pk],
        eligible_studio_types=[cast.studio1.type],
        eligible_levels=[cast.studio1.level],
    )
    client.post(reverse("challenges:new"), form)
    challenge = Challenge.objects.get(title="定向课题")
    assert list(challenge.eligible_units.all()) == [cast.group_g]
    assert challenge.eligible_studio_types == [cast.studio1.type]
    page = client.get(reverse("challenges:edit", args=[challenge.pk])).content.decode()
    ticked = [tag for tag in page.split("<input") if 'name="eligible_units"' in tag and "checked" in tag]
    assert len(ticked) == 1 and f'value="{cast.group_g.pk}"' in ticked[0]


def test_an_invitation_without_invitees_is_refused_on_submit_with_the_reason(client, world):
    client.force_login(world.cast.poster)
    client.post(reverse("challenges:new"), _post_form(world))
    challenge = Challenge.objects.get(title="定向课题")
    response = client.post(
        reverse("challenges:transition", args=[challenge.pk]), {"action": "submit"}, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown and Challenge.objects.get(pk=challenge.pk).state == State.DRAFT


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _pdf(name: str = "方案说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def _asked(world) -> Clarification:
    """An under-review challenge whose poster asked studio1's bid a question."""
    challenge = world.in_state(State.UNDER_REVIEW)
    bid = challenge.bids.get(studio=world.cast.studio1)
    return reviews.clarification_ask(actor=world.cast.poster, bid=bid, question="预算依据？")


def test_the_bidders_lead_sees_and_answers_the_posters_question_on_my_bids(client, world):
    clarification = _asked(world)
    client.force_login(world.cast.leader1)
    page = client.get(reverse("challenges:my_bids")).content.decode()
    assert "预算依据？" in page
    assert reverse("challenges:clarification_answer", args=[clarification.pk]) in page
    url = reverse("challenges:clarification_answer", args=[clarification.pk])
    assert client.post(url, {"answer": "按市场价。"}).status_code == 302
    clarification.refresh_from_db()
    assert clarification.answer == "按市场价。" and clarification.answered_by == world.cast.leader1


def test_a_member_of_the_bidding_studio_reads_the_question_but_gets_no_answer_form(client, world):
    clarification = _asked(world)
    client.force_login(world.cast.member)
    page = client.get(reverse("challenges:my_bids")).content.decode()
    assert "预算依据？" in page
    assert reverse("challenges:clarification_answer", args=[clarification.pk]) not in page
    url = reverse("challenges:clarification_answer", args=[clarification.pk])
    assert client.post(url, {"answer": "冒名回答"}).status_code == 403


@pytest.mark.parametrize("role", every_role_except("leader1", "member", "superadmin"))
def test_no_one_outside_the_bidder_reaches_its_questions(client, world, role):
    clarification = _asked(world)
    client.force_login(getattr(world.cast, role))
    assert "预算依据？" not in client.get(reverse("challenges:my_bids")).content.decode()
    url = reverse("challenges:clarification_answer", args=[clarification.pk])
    # The poster side reads the question it asked (as through the API) but may not answer it;
    # to everyone else it does not exist.
    refused = 403 if role in ("admin", "poster") else 404
    assert client.post(url, {"answer": "冒名回答"}).status_code == refused
    assert Clarification.objects.get(pk=clarification.pk).answer == ""


def test_the_winning_lead_writes_a_progress_report_the_poster_reads(client, world):
    challenge = world.in_state(State.IN_PROGRESS)
    winner = challenge.bids.get(studio=world.cast.studio2)
    client.force_login(world.cast.leader2)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk])).content.decode()
    assert reverse("challenges:progress_report", args=[winner.pk]) in page
    url = reverse("challenges:progress_report", args=[winner.pk])
    assert client.post(url, {"body": "第一阶段完成。"}).status_code == 302
    assert ProgressReport.objects.get().author == world.cast.leader2
    client.force_login(world.cast.poster)
    page = client.get(reverse("challenges:milestones", args=[challenge.pk])).content.decode()
    assert "第一阶段完成。" in page
    assert reverse("challenges:progress_report", args=[winner.pk]) not in page


@pytest.mark.parametrize("role", every_role_except("leader2", "superadmin"))
def test_no_one_else_reports_the_winners_progress(client, world, role):
    challenge = world.in_state(State.IN_PROGRESS)
    winner = challenge.bids.get(studio=world.cast.studio2)
    client.force_login(getattr(world.cast, role))
    response = client.post(reverse("challenges:progress_report", args=[winner.pk]), {"body": "冒名"})
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_bid_is_submitted_with_its_file_and_a_refused_file_leaves_no_bid(client, world):
    challenge = world.published()
    client.force_login(world.cast.leader1)
    url = reverse("challenges:bid_new", args=[challenge.pk])
    refused = client.post(url, {**_bid_form(challenge, world.cast.studio1), "file": _pdf("病毒.exe")})
    assert refused.status_code == 400 and not challenge.bids.exists()
    assert client.post(url, {**_bid_form(challenge, world.cast.studio1), "file": _pdf()}).status_code == 302
    bid = challenge.bids.get()
    assert [a.name for a in bid.attachments.all()] == ["方案说明.pdf"]
    page = client.get(reverse("challenges:bid_edit", args=[bid.pk])).content.decode()
    assert reverse("api-challenge-attachment", args=[bid.attachments.get().pk]) in page


def _review_with_file(world) -> tuple[Challenge, Attachment]:
    challenge = world.published()
    bid = world.bid(challenge, "leader1")
    attachment = attachments.attachment_add(actor=world.cast.leader1, upload=_pdf(), bid=bid)
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "start_review")
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    return challenge, attachment


@pytest.mark.parametrize("role", ["poster", "admin", "superadmin", "expert2"])
def test_the_review_workspace_links_bid_files_to_the_checked_download(client, world, role):
    challenge, attachment = _review_with_file(world)
    client.force_login(world.expert2 if role == "expert2" else getattr(world.cast, role))
    page = client.get(reverse("challenges:review", args=[challenge.pk])).content.decode()
    link = reverse("api-challenge-attachment", args=[attachment.pk])
    assert link == f"/api/v1/challenge-attachments/{attachment.pk}/" and link in page
    assert client.get(link).status_code == 200


def test_a_competitor_gets_neither_the_workspace_nor_the_file(client, world):
    challenge, attachment = _review_with_file(world)
    client.force_login(world.cast.leader2)
    assert client.get(reverse("challenges:review", args=[challenge.pk])).status_code == 404
    assert client.get(reverse("api-challenge-attachment", args=[attachment.pk])).status_code == 404


def test_the_poster_attaches_a_file_to_the_draft_but_not_after_publication(client, world):
    draft = world.draft()
    client.force_login(world.cast.poster)
    assert reverse("challenges:challenge_attachment", args=[draft.pk]) in (
        client.get(reverse("challenges:detail", args=[draft.pk])).content.decode()
    )
    client.post(reverse("challenges:challenge_attachment", args=[draft.pk]), {"file": _pdf()})
    assert [a.name for a in draft.attachments.all()] == ["方案说明.pdf"]
    published = world.published()
    client.post(reverse("challenges:challenge_attachment", args=[published.pk]), {"file": _pdf()})
    assert not published.attachments.exists()


@pytest.mark.parametrize("role", every_role_except("poster", "admin", "superadmin"))
def test_only_the_poster_side_attaches_files_to_a_draft(client, world, role):
    draft = world.draft()
    client.force_login(getattr(world.cast, role))
    response = client.post(reverse("challenges:challenge_attachment", args=[draft.pk]), {"file": _pdf()})
    assert response.status_code == 404 and not draft.attachments.exists()


def _bid_form(challenge: Challenge, studio) -> dict:
    due = challenge.bidding_deadline.date() + datetime.timedelta(days=30)
    return {
        "bidder": f"studio:{studio.pk}",
        "approach": "方案",
        "budget": "1000",
        "milestones_text": f"设计 | {due.isoformat()} | 100 | 文档",
        "commitment_text": "保证完成",
        "signer_name": "王建国",
        "signed": "on",
    }
