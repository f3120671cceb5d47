"""The events of the showcase, named once: audit actions (with their labels), notification kinds,
and the live events of the `inquiry:<id>` topic with their payloads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications.kinds import EmailMode, register
from platform_core.realtime.services import emit

from .models import Inquiry, TransferCase

ACHIEVEMENT_CREATED = "achievement.created"
ACHIEVEMENT_UPDATED = "achievement.updated"
ACHIEVEMENT_SUBMITTED = "achievement.submitted"
ACHIEVEMENT_PUBLISHED = "achievement.published"
ACHIEVEMENT_RETURNED = "achievement.returned"
ACHIEVEMENT_WITHDRAWN = "achievement.withdrawn"
ACHIEVEMENT_FILE_ADDED = "achievement.file_added"
ACHIEVEMENT_FILE_REMOVED = "achievement.file_removed"
LISTING_SAVED = "achievement.listing_saved"
ROUND_OPENED = "round.opened"
ROUND_EXPERT_ADDED = "round.expert_added"
ROUND_ENTRY_ADDED = "round.entry_added"
ROUND_SCORED = "round.scored"
ROUND_CLOSED = "round.closed"
ROUND_PUBLISHED = "round.published"
INQUIRY_SENT = "inquiry.sent"
INQUIRY_STATUS_CHANGED = "inquiry.status_changed"
INQUIRY_THREAD_OPENED = "inquiry.thread_opened"
CASE_RECORDED = "inquiry.case_recorded"

_SHOWCASE = _("Showcase and transfer")
for _kind, _label, _mode in [
    (ACHIEVEMENT_SUBMITTED, _("An achievement submitted for publication"), EmailMode.DIGEST),
    (ACHIEVEMENT_PUBLISHED, _("My achievement published"), EmailMode.DIGEST),
    (ACHIEVEMENT_RETURNED, _("My achievement sent back"), EmailMode.SOON),
    (ACHIEVEMENT_WITHDRAWN, _("My achievement withdrawn"), EmailMode.DIGEST),
    (ROUND_EXPERT_ADDED, _("Invited to an appraisal or selection panel"), EmailMode.SOON),
    (ROUND_ENTRY_ADDED, _("My achievement entered in a round"), EmailMode.DIGEST),
    (ROUND_PUBLISHED, _("Results of a round"), EmailMode.DIGEST),
    (INQUIRY_SENT, _("A transfer inquiry about my achievement"), EmailMode.SOON),
    (INQUIRY_STATUS_CHANGED, _("A transfer inquiry changed"), EmailMode.DIGEST),
    (CASE_RECORDED, _("A transfer case recorded"), EmailMode.DIGEST),
]:
    register(_kind, _label, _mode, group=_SHOWCASE)

register_action_labels(
    {
        ACHIEVEMENT_CREATED: _("Achievement created"),
        ACHIEVEMENT_UPDATED: _("Achievement edited"),
        ACHIEVEMENT_SUBMITTED: _("Achievement submitted for publication"),
        ACHIEVEMENT_PUBLISHED: _("Achievement published"),
        ACHIEVEMENT_RETURNED: _("Achievement sent back"),
        ACHIEVEMENT_WITHDRAWN: _("Achievement withdrawn"),
        ACHIEVEMENT_FILE_ADDED: _("Achievement file added"),
        ACHIEVEMENT_FILE_REMOVED: _("Achievement file removed"),
        LISTING_SAVED: _("Transfer listing saved"),
        ROUND_OPENED: _("Appraisal or selection round opened"),
        ROUND_EXPERT_ADDED: _("Expert added to a round's panel"),
        ROUND_ENTRY_ADDED: _("Achievement entered in a round"),
        ROUND_SCORED: _("Round entry scored"),
        ROUND_CLOSED: _("Round scoring closed"),
        ROUND_PUBLISHED: _("Round results published"),
        INQUIRY_SENT: _("Transfer inquiry sent"),
        INQUIRY_STATUS_CHANGED: _("Transfer inquiry status changed"),
        INQUIRY_THREAD_OPENED: _("Negotiation thread opened"),
        CASE_RECORDED: _("Transfer case recorded"),
    }
)


def inquiry_payload(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk,
        "status": inquiry.status,
        "status_label": str(inquiry.get_status_display()),
        "status_note": inquiry.status_note,
        "updated_at": inquiry.updated_at.isoformat(),
    }


def case_payload(case: TransferCase) -> dict:
    return {
        "inquiry_id": case.inquiry_id,
        "mode": case.mode,
        "value": str(case.value),
        "concluded_on": case.concluded_on.isoformat(),
    }


def emit_inquiry_status(inquiry: Inquiry) -> None:
    emit(inquiry.topic, INQUIRY_STATUS_CHANGED, inquiry_payload(inquiry))


def emit_case_recorded(case: TransferCase) -> None:
    emit(case.inquiry.topic, CASE_RECORDED, case_payload(case))
