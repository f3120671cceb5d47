"""Expert review and award: recusal, weighted totals and ranking, progress, shortlist,
clarifications, racing awards, the mid-term review, the Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from challenges.lifecycle import State
from challenges.models import Bid, Milestone
from challenges.selectors import export_rows, review_workspace
from challenges.services import milestones, reviews
from tests.conftest import as_user

from .conftest import pass_deadline


@pytest.fixture
def review(world):
    challenge = world.published()
    bid1 = world.bid(challenge, "leader1")
    bid2 = world.bid(challenge, "leader2")
    bid3 = world.bid(challenge, "team")
    pass_deadline(challenge)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    world.act(challenge, world.cast.poster, "start_review")
    return challenge, bid1, bid2, bid3


def _score(expert, bid, values: list[int]):
    criteria = list(bid.challenge.criteria.order_by("position"))
    return reviews.score_submit(
        actor=expert,
        bid=bid,
        scores=[
            {"criterion": c.pk, "value": v, "comment": "评语"} for c, v in zip(criteria, values, strict=True)
        ],
    )


def test_weighted_totals_rank_the_bids_and_progress_is_tracked(world, review):
    challenge, bid1, bid2, bid3 = review
    workspace = review_workspace(world.cast.poster, challenge, state=State.UNDER_REVIEW)
    assert [p.status for p in workspace["progress"]] == ["not_started"]
    _score(world.expert2, bid1, [80, 60, 100])  # 0.5*80 + 0.3*60 + 0.2*100 = 78
    workspace = review_workspace(world.cast.poster, challenge, state=State.UNDER_REVIEW)
    assert [p.status for p in workspace["progress"]] == ["partial"]
    _score(world.expert2, bid2, [90, 90, 50])  # 45 + 27 + 10 = 82
    _score(world.expert2, bid3, [70, 70, 70])
    workspace = review_workspace(world.cast.poster, challenge, state=State.UNDER_REVIEW)
    assert [p.status for p in workspace["progress"]] == ["done"]
    ranking = [(row.bid.pk, row.total, row.rank) for row in workspace["ranking"]]
    assert ranking == [
        (bid2.pk, Decimal("82.00"), 1),
        (bid1.pk, Decimal("78.00"), 2),
        (bid3.pk, Decimal("70.00"), 3),
    ]
    # A corrected score replaces the old one (one per expert, bid and criterion).
    _score(world.expert2, bid1, [100, 100, 100])
    workspace = review_workspace(world.cast.poster, challenge, state=State.UNDER_REVIEW)
    assert workspace["ranking"][0].bid == bid1
    # The expert sees the bids and their own scores, not the ranking.
    expert_view = review_workspace(world.expert2, challenge, state=State.UNDER_REVIEW)
    assert "ranking" not in expert_view and len(expert_view["my_scores"]) == 9


def test_scores_are_refused_to_the_recused_and_the_unassigned_and_out_of_range(world, review):
    challenge, bid1, _bid2, _bid3 = review
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.cast.expert)
    for outsider in (world.cast.expert, world.cast.leader1, world.cast.outsider):
        with pytest.raises(PermissionDenied):
            _score(outsider, bid1, [50, 50, 50])
    with pytest.raises(ValidationError):
        _score(world.expert2, bid1, [101, 50, 50])


def test_team_members_and_same_unit_experts_are_recused_with_reasons(world, review):
    challenge, *_bids = review
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.cast.expert)
    assignment = challenge.expert_assignments.get(expert=world.cast.expert)
    assert assignment.recused and world.cast.studio2.name in assignment.recusal_reason
    declared = reviews.expert_declare_conflict(
        actor=world.expert2, challenge=challenge, reason="曾与投标方合作"
    )
    assert declared.recused and declared.conflict_declared


def test_shortlist_and_clarification_between_poster_and_one_bidder(world, review):
    _challenge, _bid1, bid2, _bid3 = review
    assert reviews.bid_shortlist(actor=world.cast.poster, bid=bid2, shortlisted=True).shortlisted
    with pytest.raises(PermissionDenied):
        reviews.bid_shortlist(actor=world.cast.leader1, bid=bid2, shortlisted=True)
    clarification = reviews.clarification_ask(actor=world.cast.poster, bid=bid2, question="预算明细？")
    assert world.cast.leader2.notifications.filter(kind="review.clarification").exists()
    assert not world.cast.leader1.notifications.filter(kind="review.clarification").exists()
    with pytest.raises(PermissionDenied):
        reviews.clarification_answer(actor=world.cast.leader1, clarification=clarification, answer="x")
    answered = reviews.clarification_answer(
        actor=world.cast.leader2, clarification=clarification, answer="见附件"
    )
    assert answered.answer == "见附件"


def test_single_award_takes_exactly_one_winner_with_a_rationale(world, review):
    challenge, bid1, bid2, _bid3 = review
    with pytest.raises(ValidationError):
        reviews.challenge_award(
            actor=world.cast.poster, challenge=challenge, winners=[bid1, bid2], rationale="x"
        )
    with pytest.raises(ValidationError):
        reviews.challenge_award(actor=world.cast.poster, challenge=challenge, winners=[bid1], rationale=" ")


def test_racing_award_and_midterm_review_end_a_team_with_reasons(world):
    challenge = world.published(award_mode="racing", max_winners=2)
    bid1 = world.bid(challenge, "leader1")
    bid2 = world.bid(challenge, "leader2")
    team_bid = world.bid(challenge, "team")
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "start_review")
    with pytest.raises(ValidationError):
        reviews.challenge_award(
            actor=world.cast.poster, challenge=challenge, winners=[bid1, bid2, team_bid], rationale="三家"
        )
    reviews.challenge_award(
        actor=world.cast.poster, challenge=challenge, winners=[bid1, bid2], rationale="两家并行"
    )
    assert Bid.objects.get(pk=team_bid.pk).status == Bid.Status.LOST
    assert Milestone.objects.filter(challenge=challenge).count() == 4
    world.act(challenge, world.cast.poster, "start_work")
    assert reviews.challenge_set_midterm(actor=world.cast.poster, challenge=challenge, position=1) == 2
    with pytest.raises(ValidationError, match="mid-term evidence"):
        reviews.challenge_midterm_review(
            actor=world.cast.poster, challenge=challenge, continuing=[bid1], ended={bid2.pk: "落后"}
        )
    for bid, leader in ((bid1, world.cast.leader1), (bid2, world.cast.leader2)):
        checkpoint = Milestone.objects.get(bid=bid, is_midterm=True)
        milestones.milestone_submit(actor=leader, milestone=checkpoint, evidence_note="中期成果")
    # Experts score the racing teams' evidence at the mid-term stage.
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    reviews.score_submit(
        actor=world.expert2,
        bid=bid1,
        stage="midterm",
        scores=[{"criterion": c.pk, "value": 80} for c in challenge.criteria.all()],
    )
    midterm = review_workspace(world.cast.poster, challenge, state=State.IN_PROGRESS, stage="midterm")
    assert midterm["ranking"][0].bid == bid1 and midterm["ranking"][0].total == Decimal("80.00")
    with pytest.raises(ValidationError):
        reviews.challenge_midterm_review(
            actor=world.cast.poster, challenge=challenge, continuing=[bid1], ended={}
        )
    reviews.challenge_midterm_review(
        actor=world.cast.poster, challenge=challenge, continuing=[bid1], ended={bid2.pk: "进度落后"}
    )
    ended = Bid.objects.get(pk=bid2.pk)
    assert ended.status == Bid.Status.ELIMINATED and ended.elimination_reason == "进度落后"
    assert set(Milestone.objects.filter(bid=bid2).values_list("status", flat=True)) == {"cancelled"}
    assert world.cast.leader2.notifications.filter(kind="bid.eliminated", body="进度落后").exists()
    # The ended team is no longer a winner: it cannot deliver.
    with pytest.raises(PermissionDenied):
        world.act(challenge, world.cast.leader2, "deliver")


def test_the_export_holds_bids_and_scores_with_formulas_neutralised(world, api, review):
    challenge, bid1, bid2, _bid3 = review
    _score(world.expert2, bid1, [80, 60, 100])
    reviews.score_submit(
        actor=world.expert2,
        bid=bid2,
        scores=[
            {"criterion": c.pk, "value": 90, "comment": '=HYPERLINK("http://x")'}
            for c in challenge.criteria.all()
        ],
    )
    rows = export_rows(world.cast.poster, challenge, state=State.UNDER_REVIEW)
    assert len(rows["bids"]) == 4 and len(rows["scores"]) == 7
    response = as_user(api, world.cast.poster).get(f"/api/v1/challenges/{challenge.pk}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    bids_sheet, scores_sheet = workbook.worksheets
    assert bids_sheet.max_row == 4
    assert world.cast.studio2.name in [cell.value for cell in bids_sheet["B"]]
    comments = [cell.value for cell in scores_sheet["G"]]
    assert '\'=HYPERLINK("http://x")' in comments
    assert all(cell.data_type != "f" for row in scores_sheet.iter_rows() for cell in row)
