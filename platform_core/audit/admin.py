from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Append-only: readable by admins, never edited or removed, even here."""

    list_display = ["created_at", "actor", "action", "target_type", "target_repr", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor__username", "actor__display_name", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
