"""A delisted studio (摘牌) no longer acts on its bids, and a team ended at the mid-term hands in
nothing more; their history stays."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.lifecycle import State
from challenges.models import Bid, Milestone
from challenges.services import attachments, milestones, reviews
from challenges.services import bids as bid_services
from platform_core.orgs.models import Studio
from tests.conftest import as_user


def _delist(studio):
    Studio.objects.filter(pk=studio.pk).update(status=Studio.Status.DELISTED, delisted_reason="考核不合格")


def _pdf():
    return SimpleUploadedFile("e.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def test_a_delisted_studio_can_neither_edit_nor_withdraw_nor_attach_to_its_bid(world, private_media):
    challenge = world.published()
    bid = world.bid(challenge, "leader2")
    _delist(world.cast.studio2)
    with pytest.raises(PermissionDenied):
        bid_services.bid_update(actor=world.cast.leader2, bid=bid, approach="摘牌后仍在修改")
    with pytest.raises(PermissionDenied):
        bid_services.bid_withdraw(actor=world.cast.leader2, bid=bid)
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(actor=world.cast.leader2, bid=bid, upload=_pdf())
    bid.refresh_from_db()
    assert bid.approach != "摘牌后仍在修改" and bid.status == Bid.Status.SUBMITTED


def test_a_bid_of_a_delisted_studio_cannot_be_awarded(world):
    challenge = world.in_state(State.UNDER_REVIEW)
    bid = challenge.bids.get(studio=world.cast.studio2)
    _delist(world.cast.studio2)
    with pytest.raises(ValidationError):
        reviews.challenge_award(actor=world.cast.poster, challenge=challenge, winners=[bid], rationale="好")


def test_a_winning_studio_delisted_during_the_work_neither_delivers_nor_hands_in_evidence(world, api):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = Milestone.objects.filter(challenge=challenge).first()
    _delist(world.cast.studio2)
    with pytest.raises(PermissionDenied):
        milestones.milestone_submit(actor=world.cast.leader2, milestone=milestone, evidence_note="证据")
    refused = as_user(api, world.cast.leader2).post(f"/api/v1/challenges/{challenge.pk}/actions/deliver/")
    assert refused.status_code == 403


def test_an_ended_team_cannot_attach_evidence_to_its_cancelled_milestones(world, private_media):
    challenge = world.in_state(State.IN_PROGRESS)
    bid = challenge.bids.get(status=Bid.Status.WON)
    milestone = Milestone.objects.filter(bid=bid).first()
    Bid.objects.filter(pk=bid.pk).update(status=Bid.Status.ELIMINATED)
    Milestone.objects.filter(pk=milestone.pk).update(status=Milestone.Status.CANCELLED)
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(actor=world.cast.leader2, milestone=milestone, upload=_pdf())


def test_evidence_files_go_only_to_a_milestone_waiting_for_evidence(world, private_media):
    challenge = world.in_state(State.IN_PROGRESS)
    milestone = Milestone.objects.filter(challenge=challenge).first()
    assert attachments.attachment_add(actor=world.cast.leader2, milestone=milestone, upload=_pdf())
    Milestone.objects.filter(pk=milestone.pk).update(status=Milestone.Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(actor=world.cast.leader2, milestone=milestone, upload=_pdf())
