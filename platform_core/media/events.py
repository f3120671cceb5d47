"""The events of media files, named once: the audit actions and their labels (no live events: an
upload's progress is answered to its uploader, chunk by chunk)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels

MEDIA_UPLOADED = "media.uploaded"
MEDIA_REFUSED = "media.refused"

register_action_labels(
    {
        MEDIA_UPLOADED: _("Audio or video uploaded"),
        MEDIA_REFUSED: _("Audio or video refused (not what its name says)"),
    }
)
