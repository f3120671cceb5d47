from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .labels import visible_to
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Append-only: readable by admins, never edited or removed, even here."""

    list_display = ["created_at", "actor", "action", "target_type", "target_repr", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor__username", "actor__display_name", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def get_queryset(self, request):
        # Sealed actions (registered by their apps) are for superusers only, whatever model
        # permissions a staff account holds.
        return visible_to(request.user, super().get_queryset(request))
