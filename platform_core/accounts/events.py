"""The events of accounts, named once: the audit actions and their labels (no live events yet)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels

PROFILE_UPDATED = "user.profile_updated"

register_action_labels({PROFILE_UPDATED: _("Profile edited")})
