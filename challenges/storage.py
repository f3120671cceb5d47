"""Private storage for challenge attachments: files live outside MEDIA_ROOT and have no URL, so
neither Django's debug media view nor the reverse proxy's /media/ can serve them. They are read
back only through the access-checked download views."""

from __future__ import annotations

import uuid
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


def attachment_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the owner nor the original file name.
    extension = Path(filename).suffix.lower()[:10]
    return f"challenges/{uuid.uuid4().hex}{extension}"
