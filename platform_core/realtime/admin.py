from django.contrib import admin

from .models import Event, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "head"]
    search_fields = ["name"]
    readonly_fields = ["name", "head"]

    # Topics are created and advanced by emit() only: a head set by hand, or a topic deleted and
    # restarted at seq 1, would make every client drop the new events as duplicates.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["topic", "seq", "name", "created_at"]
    list_filter = ["name"]
    search_fields = ["topic__name", "name"]
    list_select_related = ["topic"]
    readonly_fields = ["topic", "seq", "name", "data", "created_at"]

    # Stored events are the history clients replay; they are not edited or removed by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
