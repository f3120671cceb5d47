"""The cast, extended for challenges: an expert without conflicts, a virtual team, and a builder
that brings a challenge to any state through the services (so every test starts from real data)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone, translation

from alliances.models import Team, TeamMembership
from challenges.lifecycle import State
from challenges.models import Bid, Challenge
from challenges.services import bids as bid_services
from challenges.services import challenges as challenge_services
from challenges.services import reviews
from platform_core.accounts.models import ExpertProfile
from platform_core.orgs.models import Unit
from tests.cast import Cast
from tests.events import make_user


def challenge_fields(**overrides) -> dict:
    fields = {
        "title": "高寒地区基站节能改造",
        "statement": "冬季基站能耗高，寻求可推广的节能方案。",
        "requirements": "方案可在三个月内试点。",
        "acceptance_criteria": "试点基站能耗下降 15% 以上。",
        "fields": ["节能", "5G"],
        "reward_amount": Decimal("200000"),
        "reward_form": Challenge.RewardForm.MONEY,
        "bidding_deadline": timezone.now() + datetime.timedelta(days=10),
        "expected_delivery": timezone.localdate() + datetime.timedelta(days=120),
        "contact_name": "周海燕",
        "contact_phone": "010-12345678",
        "criteria": [("技术方案", 50), ("团队能力", 30), ("预算合理性", 20)],
    }
    fields.update(overrides)
    return fields


def bid_content(challenge: Challenge, signer: str = "王建国", **overrides) -> dict:
    due = challenge.bidding_deadline.date() + datetime.timedelta(days=30)
    content = {
        "approach": "余热回收 + 智能关断",
        "plan": "分三阶段实施",
        "budget": Decimal("150000"),
        "timeline": "三个月",
        "team_composition": [{"name": "王建国", "role": "负责人"}],
        "qualifications": "全国劳动模范",
        "commitment_text": "保证按期完成，否则接受处罚。",
        "signer_name": signer,
        "milestones": [
            {
                "title": "方案设计",
                "deliverable": "设计文档",
                "due_date": due,
                "reward_share": Decimal("50000"),
            },
            {
                "title": "试点验证",
                "deliverable": "试点报告",
                "due_date": due + datetime.timedelta(days=30),
                "reward_share": Decimal("100000"),
            },
        ],
    }
    content.update(overrides)
    return content


def pass_deadline(challenge: Challenge) -> Challenge:
    """Time passes: move the deadline (and the plan dates with it) into the past, by SQL."""
    shift = challenge.bidding_deadline - (timezone.now() - datetime.timedelta(minutes=1))
    Challenge.objects.filter(pk=challenge.pk).update(bidding_deadline=F("bidding_deadline") - shift)
    challenge.refresh_from_db()
    return challenge


@dataclass
class World:
    """The cast plus what challenges need."""

    cast: Cast
    expert2: object
    teamlead: object
    team: Team

    def draft(self, **overrides) -> Challenge:
        return challenge_services.challenge_create(
            actor=self.cast.poster, unit=self.cast.unit_a, **challenge_fields(**overrides)
        )

    def published(self, **overrides) -> Challenge:
        challenge = self.draft(**overrides)
        challenge_services.challenge_transition(actor=self.cast.poster, challenge=challenge, action="submit")
        return challenge_services.challenge_transition(
            actor=self.cast.admin, challenge=challenge, action="approve"
        )

    def bid(self, challenge: Challenge, who: str = "leader1", **overrides) -> Bid:
        if who == "team":
            return bid_services.bid_submit(
                actor=self.teamlead,
                challenge=challenge,
                team=self.team,
                **bid_content(challenge, "张队长", **overrides),
            )
        leader = getattr(self.cast, who)
        studio = self.cast.studio1 if who == "leader1" else self.cast.studio2
        return bid_services.bid_submit(
            actor=leader,
            challenge=challenge,
            studio=studio,
            **bid_content(challenge, str(leader), **overrides),
        )

    def act(self, challenge: Challenge, actor, action: str, text: str = "理由") -> Challenge:
        return challenge_services.challenge_transition(
            actor=actor, challenge=challenge, action=action, text=text
        )

    def in_state(self, state: str, *, materialise: bool = True, **overrides) -> Challenge:
        """A challenge in `state`, reached through the services. From bidding_closed on, studio1 and
        studio2 have bid; from awarded on, studio2's bid won (leader2 is the winner). With
        materialise=False a bidding_closed challenge is published past its deadline (no job ran)."""
        poster = self.cast.poster
        if state in (State.DRAFT, State.PENDING_APPROVAL, State.WITHDRAWN):
            challenge = self.draft(**overrides)
            if state == State.PENDING_APPROVAL:
                self.act(challenge, poster, "submit")
            if state == State.WITHDRAWN:
                self.act(challenge, poster, "withdraw")
            challenge.refresh_from_db()
            return challenge
        challenge = self.published(**overrides)
        if state == State.PUBLISHED:
            return challenge
        self.bid(challenge, "leader1")
        winner = self.bid(challenge, "leader2")
        pass_deadline(challenge)
        if state == State.BIDDING_CLOSED:
            if materialise:
                challenge_services.challenge_close_due_bidding()
            return Challenge.objects.get(pk=challenge.pk)
        if state == State.FAILED:
            return self.act(challenge, poster, "fail")
        self.act(challenge, poster, "start_review")
        if state == State.UNDER_REVIEW:
            return Challenge.objects.get(pk=challenge.pk)
        reviews.challenge_award(actor=poster, challenge=challenge, winners=[winner], rationale="方案最优")
        if state == State.AWARDED:
            return Challenge.objects.get(pk=challenge.pk)
        self.act(challenge, poster, "start_work")
        if state == State.IN_PROGRESS:
            return Challenge.objects.get(pk=challenge.pk)
        self.act(challenge, self.cast.leader2, "deliver")
        if state == State.DELIVERED:
            return Challenge.objects.get(pk=challenge.pk)
        assert state == State.ACCEPTED, state
        self.act(challenge, poster, "accept")
        return Challenge.objects.get(pk=challenge.pk)


def make_world(cast: Cast) -> World:
    # An expert from a unit no bidder comes from: never recused.
    unit_d = Unit.objects.create(name="单位D", parent=cast.group_h, region="上海")
    expert2 = make_user("expert2", unit_d)
    ExpertProfile.objects.create(user=expert2, committee=ExpertProfile.Committee.ADVISORY, fields=["节能"])
    teamlead = make_user("teamlead", cast.unit_c)
    team = Team.objects.create(
        name="跨单位攻关队", purpose="节能攻关", lead=teamlead, status=Team.Status.ACTIVE
    )
    TeamMembership.objects.create(team=team, user=teamlead, role=TeamMembership.Role.LEAD)
    return World(cast=cast, expert2=expert2, teamlead=teamlead, team=team)


@pytest.fixture(autouse=True)
def english():
    """The tests match refusal messages by their English text, whatever the platform's language."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast) -> World:
    return make_world(cast)


@pytest.fixture
def tworld(tcast) -> World:
    return make_world(tcast)
