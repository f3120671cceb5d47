"""The post:<id> topic: new and removed comments of a post, live on its open page.

The realtime core admits signed-in users only (the socket refuses an anonymous handshake), so
anonymous readers of a published post see new comments on their next load; a signed-in reader
follows the topic when the post's one door (`selectors.post_for`'s rule) lets them see it."""

from __future__ import annotations

from platform_core.realtime.registry import TopicNotFound, int_key, register_topic_kind

from .models import Post
from .permissions import posts_visible_filter


def authorize_post_topic(user, key: str) -> None:
    # A post one may not see is "not found", on the socket as on the page.
    if not Post.objects.filter(posts_visible_filter(user), pk=int_key(key)).exists():
        raise TopicNotFound("no such post")


def register() -> None:
    register_topic_kind("post", authorize=authorize_post_topic)
