"""Consultations in the admin, read only for superusers: every step is a service (the pages and the
API are the doors); the Q&A entries may be corrected or removed."""

from __future__ import annotations

from django.contrib import admin

from .models import Consultation, ConsultationFile, QAEntry


class ConsultationFileInline(admin.TabularInline):
    model = ConsultationFile
    fields = ["name", "size", "uploaded_at"]
    readonly_fields = ["name", "size", "uploaded_at"]
    extra = 0
    can_delete = False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "asker", "studio", "expert", "status", "rating", "created_at"]
    list_filter = ["status", "committee"]
    search_fields = ["title", "asker__username", "asker__display_name"]
    inlines = [ConsultationFileInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsultationFile)
class ConsultationFileAdmin(admin.ModelAdmin):
    list_display = ["name", "consultation", "size", "uploaded_at"]
    exclude = ["file"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QAEntry)
class QAEntryAdmin(admin.ModelAdmin):
    """Read only (its texts are the sanitised consultation's); a superuser may remove an entry."""

    list_display = ["title", "committee", "asker_name", "expert_name", "published_at"]
    list_filter = ["committee"]
    search_fields = ["title"]
    exclude = ["search_grams"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
