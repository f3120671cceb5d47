from django.contrib import admin

from platform_core.admin_base import SuperuserOnlyMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__display_name"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]
