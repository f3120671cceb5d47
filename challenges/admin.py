"""Read-only admin pages: challenges change only through services (lifecycle, audit, live events).

Sealed-bid records (bids, their plans, scores, clarifications, attachments) are visible to
superusers only, whatever model permissions a staff account was given: the admin must not be a
way around the sealed-bid rule. Audit entries about bids are sealed in events.py.
"""

from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import (
    Attachment,
    Bid,
    BidMilestone,
    Challenge,
    ChallengeOutcome,
    Clarification,
    ExpertAssignment,
    Milestone,
    Problem,
    ProgressReport,
    Question,
    ReminderSent,
    ReviewCriterion,
    Score,
)


class SuperuserOnlyAdmin(ReadOnlyModelAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "unit", "state", "bidding_deadline", "reward_amount", "created_at"]
    list_filter = ["state", "award_mode", "eligibility"]
    search_fields = ["title"]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "unit", "urgency", "status", "created_at"]
    list_filter = ["status", "urgency"]
    search_fields = ["title"]


@admin.register(Bid)
class BidAdmin(SuperuserOnlyAdmin):
    list_display = ["id", "challenge", "studio", "team", "status", "submitted_at"]
    list_filter = ["status"]


# Reminders name their recipients: before a deadline, a bidder's lead reminded is a bidder revealed.
admin.site.register(
    [BidMilestone, Score, Clarification, Attachment, ExpertAssignment, ReminderSent], SuperuserOnlyAdmin
)
admin.site.register(
    [ReviewCriterion, Milestone, ProgressReport, Question, ChallengeOutcome], ReadOnlyModelAdmin
)
