"""A second, independent test for each of five challenge rules that one test alone held (issue
12, "tests that could not fail"): each goes through another door and other data than the first,
and each was checked by breaking its rule by hand once (noted beside it).

The first tests: ranking and weights in test_reviews.py (selector, equal-weight-proof data only
by chance), uninvited bids and the board in test_board.py / test_pages_gaps.py, evidence in
test_api.py (the milestone list)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from alliances.models import Team, TeamMembership
from challenges import selectors
from challenges.models import Attachment, Bid, Milestone
from challenges.services import attachments, reviews
from challenges.services import bids as bid_services
from tests.cast import ROLES
from tests.conftest import as_user

from .conftest import bid_content, pass_deadline


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _under_review(world, criteria):
    """A challenge under review with three bids (studio1, studio2, the team) and expert2 assigned."""
    challenge = world.published(criteria=criteria)
    bids = [world.bid(challenge, "leader1"), world.bid(challenge, "leader2"), world.bid(challenge, "team")]
    pass_deadline(challenge)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    world.act(challenge, world.cast.poster, "start_review")
    return challenge, bids


def _score(expert, bid, marks: list[int]) -> None:
    criteria = list(bid.challenge.criteria.order_by("position"))
    reviews.score_submit(
        actor=expert,
        bid=bid,
        scores=[{"criterion": c.pk, "value": v, "comment": ""} for c, v in zip(criteria, marks, strict=True)],
    )


def _ranking(api, world, challenge) -> list[dict]:
    return as_user(api, world.cast.poster).get(f"/api/v1/challenges/{challenge.pk}/review/").json()["ranking"]


# Ranking order. Broken by hand: sorting by `row.total` ascending in selectors._rank.
def test_the_ranking_puts_the_highest_total_first_and_unscored_bids_last(world, api):
    challenge, (first, second, unscored) = _under_review(world, [("技术", 50), ("团队", 50)])
    _score(world.expert2, second, [60, 60])
    _score(world.expert2, first, [90, 80])
    ranking = _ranking(api, world, challenge)
    assert [(row["bid_id"], row["rank"]) for row in ranking] == [
        (first.pk, 1),
        (second.pk, 2),
        (unscored.pk, None),
    ]
    assert [row["total"] for row in ranking] == ["85.00", "60.00", None]


# Weights. Broken by hand: the total as the plain mean of the criterion means in selectors._rank.
def test_a_total_weighs_each_criterion_so_a_plain_mean_would_rank_otherwise(world, api):
    challenge, (heavy, light, _third) = _under_review(world, [("技术", 50), ("团队", 30), ("预算", 20)])
    # Weighted: 100×.5 + 30×.3 + 30×.2 = 65 against 40×.5 + 80×.3 + 80×.2 = 60.
    # Unweighted the order flips (53.33 against 66.67), and the sums too (160 against 200).
    _score(world.expert2, heavy, [100, 30, 30])
    _score(world.expert2, light, [40, 80, 80])
    ranking = {row["bid_id"]: row for row in _ranking(api, world, challenge)}
    assert ranking[heavy.pk]["total"] == "65.00" and ranking[heavy.pk]["rank"] == 1
    assert ranking[light.pk]["total"] == "60.00" and ranking[light.pk]["rank"] == 2
    assert Decimal(ranking[heavy.pk]["total"]) > Decimal(ranking[light.pk]["total"])


# Uninvited bids. Broken by hand: the invitation branch of permissions.eligibility_problem returning "".
def test_a_leader_invited_through_one_studio_may_not_bid_for_another_team_they_lead(world):
    leader2 = world.cast.leader2
    own_team = Team.objects.create(name="二号攻关队", purpose="攻关", lead=leader2, status=Team.Status.ACTIVE)
    TeamMembership.objects.create(team=own_team, user=leader2, role=TeamMembership.Role.LEAD)
    challenge = world.published(eligibility="invitation", invited_studios=[world.cast.studio2.pk])
    # leader2 sees the challenge (studio2 is invited) and is offered studio2, not the team.
    options = {
        ("studio", option.studio.pk) if option.studio else ("team", option.team.pk): option.problem
        for option in selectors.bid_options(leader2, challenge)
    }
    assert options[("studio", world.cast.studio2.pk)] == "" and options[("team", own_team.pk)] != ""
    with pytest.raises(PermissionDenied, match="invitation only"):
        bid_services.bid_submit(actor=leader2, challenge=challenge, team=own_team, **bid_content(challenge))
    assert not Bid.objects.filter(challenge=challenge).exists()
    # The invited studio bids as usual: the refusal was the invitation, nothing else.
    bid_services.bid_submit(
        actor=leader2, challenge=challenge, studio=world.cast.studio2, **bid_content(challenge)
    )
    assert Bid.objects.filter(challenge=challenge, studio=world.cast.studio2).count() == 1


# Invitation-only on the board. Broken by hand: `public` in visible_challenges_filter no longer
# excluding invitations.
@pytest.mark.parametrize("role", (None, *ROLES))
def test_an_invitation_is_on_the_board_only_for_its_invitees_and_the_posting_side(world, role):
    invitation = world.published(
        title="邀请制课题IN", eligibility="invitation", invited_teams=[world.team.pk]
    )
    public = world.published(title="公开课题PB")
    page, api = Client(), APIClient()
    if role is not None:
        page.force_login(getattr(world.cast, role))
        api.force_authenticate(getattr(world.cast, role))
    listed = {row["id"] for row in api.get("/api/v1/challenges/").json()["results"]}
    board = page.get(reverse("challenges:board")).content.decode()
    sees = role in ("superadmin", "admin", "poster")  # the team's members are not in the cast
    assert (invitation.pk in listed) is sees and ("邀请制课题IN" in board) is sees
    assert public.pk in listed and "公开课题PB" in board


def test_an_invited_team_member_finds_the_invitation_on_the_board(world):
    invitation = world.published(
        title="邀请制课题IN", eligibility="invitation", invited_teams=[world.team.pk]
    )
    api = as_user(APIClient(), world.teamlead)
    assert invitation.pk in {row["id"] for row in api.get("/api/v1/challenges/").json()["results"]}


# Evidence visibility. Broken by hand: permissions.can_see_milestone_evidence returning True.
@pytest.mark.parametrize("role", (None, *ROLES))
def test_an_evidence_file_downloads_only_for_the_team_doing_the_work_and_its_overseers(
    world, private_media, role
):
    challenge = world.in_state("in_progress")  # studio2 (leader2) won
    milestone = Milestone.objects.filter(challenge=challenge).order_by("position").first()
    upload = SimpleUploadedFile("e.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    attachments.attachment_add(actor=world.cast.leader2, milestone=milestone, upload=upload)
    attachment = Attachment.objects.get(milestone=milestone)
    api = APIClient()
    if role is not None:
        api.force_authenticate(getattr(world.cast, role))
    response = api.get(f"/api/v1/challenge-attachments/{attachment.pk}/")
    may = role in ("superadmin", "admin", "poster", "leader2")
    assert (response.status_code == 200) is may, response.status_code
