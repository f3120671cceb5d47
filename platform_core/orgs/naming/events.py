"""The events of naming rounds, named once: audit actions (also the kinds of the notifications they
cause), the live events on a studio's topic, and the audit trail's labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications.kinds import EmailMode, register

from .models import StudioTitle

ROUND_OPENED = "naming.round_opened"
EXPERT_ADDED = "naming.expert_added"
NOMINATED = "naming.nominated"
ASSESSMENT_SAVED = "naming.assessment_saved"
ASSESSMENT_SUBMITTED = "naming.assessment_submitted"
EVIDENCE_ADDED = "naming.evidence_added"
SCORING_STARTED = "naming.scoring_started"
SCORED = "naming.scored"
SCORING_CLOSED = "naming.scoring_closed"
RESULTS_PUBLISHED = "naming.results_published"
OBJECTION_LODGED = "naming.objection_lodged"
OBJECTION_ANSWERED = "naming.objection_answered"
TITLES_CONFERRED = "naming.titles_conferred"
# Live events on the studio's topic (and the kinds of the leader's notifications).
TITLE_CONFERRED = "studio.title_conferred"
TITLE_REVOKED = "studio.title_revoked"
# A reminder of the periodic job (notification kind only).
REMINDER = "naming.reminder"

_NAMING = _("Naming of demonstration studios")
for _kind, _label, _mode in [
    (EXPERT_ADDED, _("Invited to score a naming round"), EmailMode.SOON),
    (NOMINATED, _("My studio nominated"), EmailMode.SOON),
    (ASSESSMENT_SUBMITTED, _("A self-assessment submitted"), EmailMode.DIGEST),
    (SCORING_STARTED, _("Scoring of a naming round started"), EmailMode.DIGEST),
    (RESULTS_PUBLISHED, _("Results of a naming round"), EmailMode.DIGEST),
    (OBJECTION_LODGED, _("An objection lodged"), EmailMode.DIGEST),
    (OBJECTION_ANSWERED, _("An objection answered"), EmailMode.DIGEST),
    (TITLE_CONFERRED, _("A title conferred on my studio"), EmailMode.DIGEST),
    (TITLE_REVOKED, _("A title of my studio revoked"), EmailMode.SOON),
    (REMINDER, _("Naming round deadlines"), EmailMode.DIGEST),
]:
    register(_kind, _label, _mode, group=_NAMING)

register_action_labels(
    {
        ROUND_OPENED: _("Naming round opened"),
        EXPERT_ADDED: _("Expert added to a naming round"),
        NOMINATED: _("Studio nominated"),
        ASSESSMENT_SAVED: _("Self-assessment saved"),
        ASSESSMENT_SUBMITTED: _("Self-assessment submitted"),
        EVIDENCE_ADDED: _("Evidence added"),
        SCORING_STARTED: _("Expert scoring started"),
        SCORED: _("Nomination scored"),
        SCORING_CLOSED: _("Expert scoring closed"),
        RESULTS_PUBLISHED: _("Naming results published"),
        OBJECTION_LODGED: _("Objection lodged"),
        OBJECTION_ANSWERED: _("Objection answered"),
        TITLES_CONFERRED: _("Titles conferred"),
        TITLE_CONFERRED: _("Title conferred"),
        TITLE_REVOKED: _("Title revoked (摘牌)"),
    }
)


def title_conferred(title: StudioTitle) -> dict:
    return {"title_id": title.pk, "level": title.level, "year": title.year, "round_id": title.round_id}


def title_revoked(title: StudioTitle) -> dict:
    return {
        "title_id": title.pk,
        "level": title.level,
        "year": title.year,
        "reason": title.revoked_reason,
        "studio_level": title.studio.level,
    }
