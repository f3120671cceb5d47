from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import Team, TeamMembership


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "lead", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyModelAdmin):
    list_display = ["team", "user", "role", "joined_at"]
