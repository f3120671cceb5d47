"""The user:<id> topic: a user's own notifications, and nobody else's."""

from platform_core.realtime.registry import TopicForbidden, int_key, register_topic_kind


def authorize_user_topic(user, key: str) -> None:
    if int_key(key) != user.pk:
        raise TopicForbidden("you may only subscribe to your own notifications")


register_topic_kind("user", authorize=authorize_user_topic)
