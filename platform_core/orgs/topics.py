"""The studio:<id> topic: news of one studio for its members and the admins over it."""

from platform_core.realtime.registry import TopicForbidden, TopicNotFound, int_key, register_topic_kind

from .models import Studio
from .permissions import can_follow_studio_live


def authorize_studio_topic(user, key: str) -> None:
    studio = Studio.objects.select_related("unit__parent").filter(pk=int_key(key)).first()
    if studio is None:
        raise TopicNotFound("no such studio")
    if not can_follow_studio_live(user, studio):
        raise TopicForbidden("only the studio's members may follow it live")


register_topic_kind("studio", authorize=authorize_studio_topic, allow_typing=True)
