"""Helpers the learning services share: permission refusals, attached media files, URLs."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from platform_core.media.models import MediaFile
from platform_core.notifications.services import notify, verbatim  # noqa: F401  the one notify, for this app


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def course_url(course) -> str:
    return f"/learning/{course.pk}/"


def session_url(session) -> str:
    return f"/learning/sessions/{session.pk}/"


def attached_media(
    actor, media_id, *, kinds: tuple[str, ...], field: str, keep: MediaFile | None = None
) -> MediaFile | None:
    """The MediaFile an author attaches (a lesson's video or audio, its captions, a recording),
    by its id as the upload widget fills it: finished uploading, of a kind the field takes, and
    uploaded by the author. `keep` (already attached) stays whoever uploaded it, so a union admin
    editing someone's lesson does not lose its video. None when no id is given."""
    if media_id in (None, ""):
        return None
    if isinstance(media_id, MediaFile):  # the media app's form field hands over the file itself
        media_id = media_id.pk
    try:
        key = uuid.UUID(str(media_id))
    except ValueError:
        raise ValidationError({field: _("Upload the file again: this one is not known.")}) from None
    if keep is not None and keep.pk == key:
        return keep
    media_file = (
        MediaFile.objects.filter(pk=key, uploaded_by=actor).first() if actor.is_authenticated else None
    )
    if media_file is None:
        raise ValidationError({field: _("Upload the file again: this one is not known.")})
    if media_file.kind not in kinds:
        raise ValidationError({field: _("This file is not of the kind this field takes.")})
    if not media_file.is_ready:
        raise ValidationError({field: _("The file has not finished uploading.")})
    return media_file
