"""The events of accounts, named once: the audit actions and their labels (no live events yet)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels

PROFILE_UPDATED = "user.profile_updated"
# Accounts from an enterprise directory (directory.py): what the directory did, with no actor.
DIRECTORY_ACCOUNT_CREATED = "directory.account_created"
DIRECTORY_PROFILE_REFRESHED = "directory.profile_refreshed"
DIRECTORY_ACCOUNT_DROPPED = "directory.account_dropped"
DIRECTORY_ACCOUNT_RESTORED = "directory.account_restored"
DIRECTORY_CLASH_REFUSED = "directory.clash_refused"
DIRECTORY_GRANT_GIVEN = "directory.grant_given"
DIRECTORY_GRANT_TAKEN = "directory.grant_taken"

register_action_labels(
    {
        PROFILE_UPDATED: _("Profile edited"),
        DIRECTORY_ACCOUNT_CREATED: _("Account created from the directory"),
        DIRECTORY_PROFILE_REFRESHED: _("Profile refreshed from the directory"),
        DIRECTORY_ACCOUNT_DROPPED: _("Account disabled: no longer in the directory"),
        DIRECTORY_ACCOUNT_RESTORED: _("Account enabled again: back in the directory"),
        DIRECTORY_CLASH_REFUSED: _("Directory sign-in refused: the username belongs to another account"),
        DIRECTORY_GRANT_GIVEN: _("Grant given by the directory"),
        DIRECTORY_GRANT_TAKEN: _("Grant taken back by the directory"),
    }
)
