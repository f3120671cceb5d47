"""One challenge from draft to accepted through the services, with what each step leaves behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from challenges.lifecycle import State
from challenges.models import Bid, ChallengeOutcome, Milestone
from challenges.services import milestones, reviews
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification

from .conftest import pass_deadline


def test_a_challenge_goes_from_draft_to_accepted(world):
    cast = world.cast
    challenge = world.published()
    assert challenge.state == State.PUBLISHED and challenge.published_at is not None
    bid1 = world.bid(challenge, "leader1")
    bid2 = world.bid(challenge, "leader2")
    pass_deadline(challenge)
    reviews.expert_assign(actor=cast.poster, challenge=challenge, expert=world.expert2)
    world.act(challenge, cast.poster, "start_review")
    criteria = list(challenge.criteria.all())
    for bid, value in ((bid1, 70), (bid2, 90)):
        reviews.score_submit(
            actor=world.expert2,
            bid=bid,
            scores=[{"criterion": c.pk, "value": value, "comment": "好"} for c in criteria],
        )
    reviews.challenge_award(
        actor=cast.poster,
        challenge=challenge,
        winners=[bid2],
        rationale="方案最优",
        feedback={bid1.pk: "预算偏高"},
    )
    bid1.refresh_from_db()
    assert bid1.status == Bid.Status.LOST and bid1.feedback == "预算偏高"
    assert Notification.objects.filter(
        recipient=cast.leader1, kind="bid.not_awarded", body="预算偏高"
    ).exists()
    world.act(challenge, cast.poster, "start_work")
    steps = list(Milestone.objects.filter(bid=bid2).order_by("position"))
    assert [step.title for step in steps] == ["方案设计", "试点验证"]
    milestones.milestone_submit(actor=cast.leader2, milestone=steps[0], evidence_note="设计文档已上传")
    milestones.milestone_review(actor=cast.poster, milestone=steps[0], accept=True)
    milestones.milestone_release_reward(actor=cast.poster, milestone=steps[0], amount=Decimal("50000"))
    with pytest.raises(ValidationError):
        milestones.milestone_release_reward(actor=cast.poster, milestone=steps[0], amount=Decimal("1"))
    world.act(challenge, cast.leader2, "deliver")
    world.act(challenge, cast.poster, "send_back", "试点报告缺数据")
    world.act(challenge, cast.leader2, "deliver")
    challenge = world.act(challenge, cast.poster, "accept", "成果显著")
    assert challenge.state == State.ACCEPTED
    assert ChallengeOutcome.objects.get(challenge=challenge).summary == "成果显著"
    actions = set(
        AuditEntry.objects.filter(target_type="challenges.challenge").values_list("action", flat=True)
    )
    assert {"challenge.submit", "challenge.approve", "challenge.award", "challenge.accept"} <= actions
