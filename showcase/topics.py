"""Live topic of the showcase: `inquiry:<id>`, followed by the inquirer and the owner's side only
(an inquiry's status is private to the two parties)."""

from __future__ import annotations

from platform_core.realtime.registry import TopicNotFound, int_key, register_topic_kind

from .models import Inquiry
from .permissions import can_see_inquiry


def authorize_inquiry_topic(user, key: str) -> None:
    inquiry = (
        Inquiry.objects.select_related("listing__achievement__studio", "listing__achievement__team")
        .filter(pk=int_key(key))
        .first()
    )
    # An inquiry one may not see is "not found": its existence is not revealed either.
    if inquiry is None or not can_see_inquiry(user, inquiry):
        raise TopicNotFound("no such inquiry")


def register() -> None:
    register_topic_kind("inquiry", authorize=authorize_inquiry_topic)
