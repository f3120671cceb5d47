"""Problems and triage, public Q&A, live events and topics, database constraints, text stored as typed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from challenges import events
from challenges.models import Bid, Problem
from challenges.services import problems, qa
from challenges.topics import authorize_board_topic, authorize_challenge_topic
from platform_core.realtime.registry import TopicForbidden, TopicNotFound
from tests.events import stored_events

from .conftest import challenge_fields

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_problems_are_triaged_into_a_draft_that_links_back(world):
    cast = world.cast
    first = problems.problem_submit(
        actor=cast.member, unit=cast.unit_a, title="基站冬季能耗高", description="耗电"
    )
    second = problems.problem_submit(
        actor=cast.leader1, unit=cast.unit_a, title="机房空调耗电", description="耗电"
    )
    duplicate = problems.problem_submit(
        actor=cast.outsider, unit=cast.unit_a, title="能耗高", description="同上"
    )
    junk = problems.problem_submit(actor=cast.outsider, unit=cast.unit_a, title="食堂", description="无关")
    with pytest.raises(PermissionDenied):
        problems.problem_reject(actor=cast.outsider, problem=junk, reason="无关")
    problems.problem_merge(actor=cast.poster, problem=duplicate, into=first)
    problems.problem_reject(actor=cast.admin, problem=junk, reason="不属于课题范围")
    with pytest.raises(ValidationError):
        problems.problem_reject(actor=cast.admin, problem=junk, reason="再次")
    challenge = problems.challenge_draft_from_problems(
        actor=cast.poster, problems=[first, second], **challenge_fields()
    )
    assert set(challenge.source_problems.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Problem.objects.get(pk=first.pk).status == Problem.Status.DRAFTED
    for submitter in (cast.member, cast.leader1):
        assert submitter.notifications.filter(kind="problem.drafted").exists()
    assert cast.outsider.notifications.filter(kind="problem.rejected", body="不属于课题范围").exists()


def test_questions_are_public_answers_reach_every_bidder_live(world):
    challenge = world.published()
    world.bid(challenge, "leader1")
    world.bid(challenge, "team")
    question = qa.question_ask(actor=world.cast.outsider, challenge=challenge, body="是否接受联合体？")
    with pytest.raises(PermissionDenied):
        qa.question_answer(actor=world.cast.leader1, question=question, answer="不")
    qa.question_answer(actor=world.cast.poster, question=question, answer="接受")
    for user in (world.cast.outsider, world.cast.leader1, world.teamlead):
        assert user.notifications.filter(kind="question.answered", body="接受").exists()
    names = [name for _seq, name, _data in stored_events(challenge.topic)]
    assert names[-2:] == [events.QUESTION_ASKED, events.QUESTION_ANSWERED]
    _seq, _name, payload = stored_events(challenge.topic)[-1]
    assert payload == {
        "id": question.pk,
        "body": "是否接受联合体？",
        "answer": "接受",
        "answered_at": payload["answered_at"],
    }


def test_publishing_announces_on_the_board_unless_by_invitation(world):
    public = world.published(title="公开")
    world.published(title="定向", eligibility="invitation", invited_studios=[world.cast.studio2.pk])
    announced = [data["title"] for _seq, _name, data in stored_events(events.BOARD_TOPIC)]
    assert announced == ["公开"]
    states = [
        data["state"] for _seq, name, data in stored_events(public.topic) if name == events.STATE_CHANGED
    ]
    assert states == ["pending_approval", "published"]


def test_topics_follow_the_visibility_rules(world):
    invited = world.published(eligibility="invitation", invited_studios=[world.cast.studio2.pk])
    authorize_challenge_topic(world.cast.leader2, str(invited.pk))
    authorize_challenge_topic(world.cast.poster, str(invited.pk))
    with pytest.raises(TopicNotFound):
        authorize_challenge_topic(world.cast.leader1, str(invited.pk))
    with pytest.raises(TopicNotFound):
        authorize_challenge_topic(world.cast.outsider, str(world.draft().pk))
    authorize_board_topic(world.cast.outsider, "all")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(TopicForbidden):
        authorize_board_topic(AnonymousUser(), "all")


def test_eligibility_is_checked_on_submit(world):
    restricted = world.published(eligibility="restricted", eligible_studio_types=["research"])
    with pytest.raises(PermissionDenied, match="types"):
        world.bid(restricted, "leader1")  # studio1 is a skills studio
    assert world.bid(restricted, "leader2").status == Bid.Status.SUBMITTED
    with pytest.raises(PermissionDenied, match="teams may not"):
        world.bid(restricted, "team")
    invited = world.published(eligibility="invitation", invited_teams=[world.team.pk])
    assert world.bid(invited, "team").team == world.team
    with pytest.raises(PermissionDenied, match="invitation"):
        world.bid(invited, "leader2")


def test_only_a_studio_leader_bids_for_it_and_the_poster_side_cannot_bid(world):
    from challenges.services.bids import bid_submit

    from .conftest import bid_content

    challenge = world.published()
    with pytest.raises(PermissionDenied, match="leader"):
        bid_submit(
            actor=world.cast.member, challenge=challenge, studio=world.cast.studio1, **bid_content(challenge)
        )


def test_a_bid_comes_from_a_studio_or_a_team_by_database_constraint(world):
    bid = world.bid(world.published(), "leader1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=bid.pk).update(team=world.team)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=bid.pk).update(studio=None)


def test_free_text_is_stored_as_typed(world, api):
    challenge = world.published(title=XSS, statement=XSS)
    bid = world.bid(challenge, "leader1", approach=XSS)
    question = qa.question_ask(actor=world.cast.outsider, challenge=challenge, body=XSS)
    assert (challenge.title, challenge.statement, bid.approach, question.body) == (XSS, XSS, XSS, XSS)
    from tests.conftest import as_user

    detail = as_user(api, world.cast.outsider).get(f"/api/v1/challenges/{challenge.pk}/").json()
    assert detail["statement"] == XSS
    assert api.get(f"/api/v1/challenges/{challenge.pk}/").get("Content-Type") == "application/json"
