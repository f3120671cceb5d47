"""Private storage for uploaded files that must never have a public URL (challenge attachments,
chat attachments): files live outside MEDIA_ROOT, so neither Django's debug media view nor the
reverse proxy's /media/ can serve them. Each app reads them back only through its own
access-checked download view."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root() -> Path:
    # A sibling of MEDIA_ROOT unless set: var/private on a laptop, /srv/jbgs/private in production.
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "private"


class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(location=private_root(), base_url=None)

    def url(self, name):
        raise ValueError("private files have no URL; use the access-checked download view")


def private_storage() -> PrivateStorage:
    """A callable, so migrations name the function and tests may point PRIVATE_MEDIA_ROOT elsewhere."""
    return PrivateStorage()
