"""Where challenge attachments are stored: the platform's private storage (no URL, read back only
through the access-checked download views), under challenges/ with a random name."""

from __future__ import annotations

import uuid
from pathlib import Path

# Re-exported: the challenges migrations name `challenges.storage.private_storage`.
from platform_core.private_storage import private_storage

__all__ = ["attachment_upload_to", "private_storage"]


def attachment_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the owner nor the original file name.
    extension = Path(filename).suffix.lower()[:10]
    return f"challenges/{uuid.uuid4().hex}{extension}"
