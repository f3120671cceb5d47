from django.contrib import admin

from .models import Studio, StudioMembership, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "industry", "region", "headcount", "has_union_committee"]
    list_filter = ["kind", "has_union_committee", "industry", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class StudioMembershipInline(admin.TabularInline):
    model = StudioMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "type", "level", "leader", "status", "founded_on"]
    list_filter = ["type", "level", "status"]
    search_fields = ["name", "unit__name", "leader__display_name"]
    autocomplete_fields = ["unit", "leader"]
    list_select_related = ["unit", "leader"]
    inlines = [StudioMembershipInline]
