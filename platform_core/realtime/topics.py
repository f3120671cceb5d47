"""The user:<id> topic, owned by the realtime core: every socket listens to its user's topic for
its whole life (notifications arrive there, and it is how any process reaches the user's sockets
to close or re-check them), so realtime cannot work without it."""

from .registry import TopicForbidden, int_key, register_topic_kind

USER_TOPIC_PREFIX = "user:"


def user_topic(user_id: int) -> str:
    return f"{USER_TOPIC_PREFIX}{user_id}"


def authorize_user_topic(user, key: str) -> None:
    if int_key(key) != user.pk:
        raise TopicForbidden("you may only subscribe to your own topic")


register_topic_kind("user", authorize=authorize_user_topic)
