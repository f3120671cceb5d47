from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import Event, Topic
from .topics import USER_TOPIC_PREFIX


def _without_user_topics(request, queryset, topic_field: str):
    """A user's own topic carries what was sent to that person (notifications, reminders): for
    superusers only, as the notifications themselves are (platform_core.admin_base)."""
    if request.user.is_superuser:
        return queryset
    return queryset.exclude(**{f"{topic_field}__startswith": USER_TOPIC_PREFIX})


@admin.register(Topic)
class TopicAdmin(ReadOnlyModelAdmin):
    """Topics are created and advanced by emit() only: a head set by hand, or a topic deleted and
    restarted at seq 1, would make every client drop the new events as duplicates."""

    list_display = ["name", "head"]
    search_fields = ["name"]
    readonly_fields = ["name", "head"]

    def get_queryset(self, request):
        return _without_user_topics(request, super().get_queryset(request), "name")


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    """Stored events are the history clients replay; they are not edited or removed by hand."""

    list_display = ["topic", "seq", "name", "created_at"]
    list_filter = ["name"]
    search_fields = ["topic__name", "name"]
    list_select_related = ["topic"]
    readonly_fields = ["topic", "seq", "name", "data", "created_at"]

    def get_queryset(self, request):
        return _without_user_topics(request, super().get_queryset(request), "topic__name")
