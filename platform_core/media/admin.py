from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin, SuperuserOnlyMixin

from .models import MediaFile


@admin.register(MediaFile)
class MediaFileAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    list_display = ["created_at", "name", "kind", "state", "size", "uploaded_by"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
