from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin, SuperuserOnlyMixin
from platform_core.http import client_ip

from . import services
from .models import (
    AssessmentAnswer,
    EvidenceFile,
    ImportJob,
    NamingRecusal,
    NamingReminder,
    NamingRound,
    NamingScore,
    Nomination,
    Objection,
    Studio,
    StudioMembership,
    StudioTitle,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "industry", "region", "headcount", "has_union_committee"]
    list_filter = ["kind", "has_union_committee", "industry", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class StudioMembershipInline(admin.TabularInline):
    """Shown, not edited: membership changes go through the studio page (services), which checks
    permission, records the audit trail, notifies the member and ends a removed member's live
    access."""

    model = StudioMembership
    extra = 0
    fields = ["user", "role", "joined_on"]
    readonly_fields = ["user", "role", "joined_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "type", "level", "leader", "status", "founded_on"]
    list_filter = ["type", "level", "status"]
    search_fields = ["name", "unit__name", "leader__display_name"]
    autocomplete_fields = ["unit", "leader"]
    list_select_related = ["unit", "leader"]
    inlines = [StudioMembershipInline]

    def has_delete_permission(self, request, obj=None):
        # Studios are delisted (摘牌, an audited flow), never deleted: their bids are protected rows,
        # and the delete page would list them (who bid where) to any staff with delete rights.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Delisting and membership have their own audited flows; the leader is chosen when the
        # studio is named.
        if obj is None:
            return ["status", "delisted_reason", "delisted_at"]
        return ["leader", "status", "delisted_reason", "delisted_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.studio_create(actor=request.user, studio=obj, ip_address=client_ip(request))


@admin.register(StudioMembership)
class StudioMembershipAdmin(ReadOnlyModelAdmin):
    """Read-only, for finding people across studios; changes go through the studio page."""

    list_display = ["user", "studio", "role", "joined_on"]
    list_filter = ["role", "studio__type", "studio__level"]
    search_fields = ["user__username", "user__display_name", "studio__name"]
    list_select_related = ["user", "studio"]


@admin.register(ImportJob)
class ImportJobAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    """Spreadsheet imports, read only: they are made on the import pages and the API (import_jobs).
    Superusers only: a report holds people's phones and e-mails."""

    list_display = ["filename", "kind", "actor", "status", "total_rows", "created_count", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "sha256", "actor__username"]
    exclude = ["file"]


class NamingRecordAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    """The naming rounds' records, read only: every step is a service on the naming pages and the
    API (permission, audit, notification). Superusers only: expert scores stay sealed from staff
    accounts, and self-assessments and objections are the nominees' own."""


for _naming_model in (
    NamingRound,
    Nomination,
    AssessmentAnswer,
    EvidenceFile,
    NamingRecusal,
    NamingScore,
    Objection,
    StudioTitle,
    NamingReminder,
):
    admin.site.register(_naming_model, NamingRecordAdmin)
