"""Live topics of challenges: `challenge:<id>` (its watchers) and `board:all` (the board page)."""

from __future__ import annotations

from platform_core.realtime.registry import TopicForbidden, TopicNotFound, int_key, register_topic_kind

from .models import Challenge
from .permissions import can_see_challenge


def authorize_challenge_topic(user, key: str) -> None:
    challenge = Challenge.objects.select_related("unit__parent__parent").filter(pk=int_key(key)).first()
    # An unseen challenge is "not found": its existence is not revealed either.
    if challenge is None or not can_see_challenge(user, challenge):
        raise TopicNotFound("no such challenge")


def authorize_board_topic(user, key: str) -> None:
    if key != "all":
        raise TopicNotFound("no such board")
    if not user.is_authenticated:
        raise TopicForbidden("log in to follow the board live")


def register() -> None:
    register_topic_kind("challenge", authorize=authorize_challenge_topic)
    register_topic_kind("board", authorize=authorize_board_topic)
