"""Read-only admin pages: the showcase changes only through its services (rules, audit, events).

Inquiries, transfer cases, scores and recusals are private to their parties and panels: visible to
superusers only, whatever model permissions a staff account was given.
"""

from django.contrib import admin

from challenges.admin import SuperuserOnlyAdmin
from platform_core.admin_base import ReadOnlyModelAdmin

from .models import (
    Achievement,
    AchievementFile,
    Contributor,
    FieldTag,
    Inquiry,
    Patent,
    Recusal,
    Round,
    RoundCriterion,
    RoundEntry,
    RoundScore,
    TransferCase,
    TransferListing,
)


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "type", "unit", "state", "award", "published_at"]
    list_filter = ["state", "type", "award"]
    search_fields = ["title"]
    exclude = ["search_grams"]


@admin.register(Round)
class RoundAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]


admin.site.register(
    [FieldTag, Contributor, Patent, AchievementFile, RoundCriterion, RoundEntry, TransferListing],
    ReadOnlyModelAdmin,
)
admin.site.register([Inquiry, TransferCase, RoundScore, Recusal], SuperuserOnlyAdmin)
