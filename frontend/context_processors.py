from django.conf import settings

from alliances.selectors import unread_total
from platform_core.notifications.selectors import unread_count
from platform_core.realtime.selectors import topic_head


def layout(request) -> dict:
    """What the page layout needs on every page: the bell's count and where the live stream starts."""
    user = getattr(request, "user", None)
    context: dict[str, object] = {"platform_name": settings.SITE_NAME}
    if user is not None and user.is_authenticated:
        topic = f"user:{user.pk}"
        context.update(
            unread_notifications=unread_count(user),
            unread_chat=unread_total(user),
            user_topic=topic,
            user_topic_head=topic_head(topic),
        )
    return context
