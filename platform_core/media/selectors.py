"""Reads of media files that depend on who asks."""

from __future__ import annotations

import uuid

from django.db.models import Sum

from . import permissions
from .models import MediaFile


def upload_for_uploader(user, pk: uuid.UUID | str) -> MediaFile:
    """One of the user's own uploads; anyone else's, or none, raises MediaFile.DoesNotExist (404
    at every door, so another user's upload id reveals nothing)."""
    return MediaFile.objects.get(permissions.uploads_of_filter(user), pk=pk)


def ready_for_field(user, pk: uuid.UUID | str, *, kind: str) -> MediaFile | None:
    """A finished file of this kind the user uploaded, for a form's media field; None otherwise."""
    return (
        MediaFile.objects.filter(permissions.uploads_of_filter(user), pk=pk, kind=kind)
        .filter(state=MediaFile.State.READY)
        .first()
    )


def bytes_held(user) -> tuple[int, int]:
    """(declared bytes of the user's unfinished uploads, of all their kept files), for the quotas."""
    files = MediaFile.objects.filter(uploaded_by=user).exclude(state=MediaFile.State.FAILED)
    unfinished = files.filter(state=MediaFile.State.UPLOADING).aggregate(total=Sum("size"))["total"] or 0
    total = files.aggregate(total=Sum("size"))["total"] or 0
    return int(unfinished), int(total)
