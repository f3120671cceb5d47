"""The `typing` client frame: an ephemeral "someone is typing" to a topic's other subscribers.

The first registered frame handler: topic kinds opt in with `register_topic_kind(…,
allow_typing=True)`. Nothing is stored; the frame carries no seq.
"""

from __future__ import annotations

from .registry import FrameContext, register_frame_handler
from .services import publish_ephemeral


async def handle_typing(frame: dict, context: FrameContext) -> None:
    await publish_ephemeral(
        context.topic,
        "typing",
        {"user_id": context.user.pk, "name": str(context.user)},
        sender=context.connection_id,
    )


register_frame_handler("typing", handle_typing)
