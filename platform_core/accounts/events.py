"""The events of accounts, named once: the audit actions and their labels (no live events yet)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels

PROFILE_UPDATED = "user.profile_updated"
COMMITTEE_SAVED = "committee.saved"
COMMITTEE_SEAT_GRANTED = "committee.seat_granted"
COMMITTEE_SEAT_REVOKED = "committee.seat_revoked"

register_action_labels(
    {
        PROFILE_UPDATED: _("Profile edited"),
        COMMITTEE_SAVED: _("Expert committee saved"),
        COMMITTEE_SEAT_GRANTED: _("Expert seated on a committee"),
        COMMITTEE_SEAT_REVOKED: _("Expert left a committee"),
    }
)
