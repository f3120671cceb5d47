"""Over a real websocket: a competing leader watching a challenge and the board sees the count,
the state and the Q&A, never a rival bid's content or bidder."""

from __future__ import annotations

import json

from channels.db import database_sync_to_async

from challenges.events import BOARD_TOPIC
from challenges.services import qa
from tests.ws import open_socket

from .conftest import pass_deadline

SECRET = "独门秘方：液氮相变储能"


async def _frames(socket) -> list[dict]:
    frames = []
    while not await socket.nothing_more(timeout=0.5):
        frames.append(await socket.receive())
    return frames


async def test_the_competitor_watching_live_sees_counts_and_states_only(tworld):
    challenge = await database_sync_to_async(tworld.published)(show_bid_count=True)
    socket = await open_socket(tworld.cast.leader1)
    assert (await socket.subscribe(challenge.topic))["type"] == "subscribed"
    assert (await socket.subscribe(BOARD_TOPIC, ref="b"))["type"] == "subscribed"

    @database_sync_to_async
    def rival_bids_and_time_passes():
        tworld.bid(challenge, "leader2", approach=SECRET)
        question = qa.question_ask(actor=tworld.cast.outsider, challenge=challenge, body="可否联合投标？")
        qa.question_answer(actor=tworld.cast.poster, question=question, answer="可以")
        tworld.published(title="新课题")
        pass_deadline(challenge)
        tworld.act(challenge, tworld.cast.poster, "start_review")

    await rival_bids_and_time_passes()
    frames = await _frames(socket)
    await socket.close()
    events = [(frame["topic"], frame["event"]) for frame in frames if frame["type"] == "event"]
    assert (challenge.topic, "challenge.bid_count") in events
    assert (challenge.topic, "challenge.question_answered") in events
    assert (challenge.topic, "challenge.state_changed") in events
    assert (BOARD_TOPIC, "board.challenge_published") in events
    text = json.dumps(frames, ensure_ascii=False)
    assert SECRET not in text and tworld.cast.studio2.name not in text


async def test_an_uninvited_leader_cannot_subscribe_to_an_invitation_only_challenge(tworld):
    @database_sync_to_async
    def invitation_only():
        return tworld.published(eligibility="invitation", invited_studios=[tworld.cast.studio2.pk])

    challenge = await invitation_only()
    socket = await open_socket(tworld.cast.leader1)
    reply = await socket.subscribe(challenge.topic)
    assert reply["type"] == "error" and reply["code"] == "not_found", reply
    invited = await open_socket(tworld.cast.leader2)
    assert (await invited.subscribe(challenge.topic))["type"] == "subscribed"
    await socket.close()
    await invited.close()
