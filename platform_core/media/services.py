"""Every write of media files: start an upload, append a chunk at its offset, complete it (size
and signature checked), cancel it, and the periodic removal of stale uploads.

The bytes go straight from the request's stream to the file in private storage, a block at a
time: neither a chunk nor the file is ever held in memory. A chunk is appended with the upload's
row locked, so two requests for one upload (a retry racing the original) cannot both write at the
same offset; a chunk that arrives at another offset than the bytes received so far is refused
with `OffsetMismatch`, which tells the client where to go on from.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import uuid
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext

from platform_core.audit.services import audit_record
from platform_core.uploads import clean_file_name, empty_message, not_accepted_message, size_label

from . import events, permissions, policy, selectors
from .models import MediaFile, media_upload_to

logger = logging.getLogger(__name__)

BLOCK_BYTES = 64 * 1024


class OffsetMismatch(Exception):
    """A chunk sent for another offset than the bytes received so far (a retry of a chunk that did
    arrive, or a chunk skipped): the client goes on from `offset`."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def media_upload_start(*, actor, kind: str, name: str, size: int, content_type: str = "") -> MediaFile:
    """Open an upload of `size` bytes: the kind takes the file's extension, the size is within the
    kind's limit, and the uploader's unfinished and kept files stay within their quotas."""
    if not permissions.can_start_upload(actor):
        raise PermissionDenied(gettext("Sign in to upload files."))
    if kind not in MediaFile.Kind.values:
        raise ValidationError({"kind": gettext("Choose video, audio or captions.")})
    name = clean_file_name(name or "")
    media_format = policy.format_for(kind, name)
    if not name or media_format is None or not policy.declared_type_fits(kind, content_type):
        raise ValidationError({"name": not_accepted_message()})
    if not isinstance(size, int) or size <= 0:
        raise ValidationError({"size": empty_message()})
    if size > policy.max_bytes(kind):
        raise ValidationError({"size": policy.too_large_message(kind)})
    with transaction.atomic():
        # One upload start at a time per user, so two at once cannot both pass the quota.
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
        unfinished, total = selectors.bytes_held(actor)
        if unfinished + size > settings.MEDIA_UNFINISHED_QUOTA_BYTES:
            raise ValidationError(
                {
                    "size": gettext(
                        "Your unfinished uploads would pass your limit of %(size)s: "
                        "finish or cancel one first."
                    )
                    % {"size": size_label(settings.MEDIA_UNFINISHED_QUOTA_BYTES)}
                }
            )
        if total + size > settings.MEDIA_TOTAL_QUOTA_BYTES:
            raise ValidationError(
                {
                    "size": gettext("Your audio and video files would pass your limit of %(size)s.")
                    % {"size": size_label(settings.MEDIA_TOTAL_QUOTA_BYTES)}
                }
            )
        media = MediaFile(
            kind=kind, name=name, content_type=media_format.content_type, size=size, uploaded_by=actor
        )
        media.file.name = media_upload_to(media, name)
        media.save()
    return media


def _locked_upload(actor, media_id: uuid.UUID | str) -> MediaFile:
    return MediaFile.objects.select_for_update().get(permissions.uploads_of_filter(actor), pk=media_id)


def _refuse_unless_uploading(media: MediaFile) -> None:
    if media.state != MediaFile.State.UPLOADING:
        raise ValidationError({"detail": gettext("This upload is over; start a new one.")})


def media_upload_append(
    *, actor, media_id: uuid.UUID | str, offset: int, stream: BinaryIO, length: int
) -> MediaFile:
    """Write `length` bytes read from `stream` at `offset`, which must be the bytes received so
    far. What arrives short (a client gone mid-chunk) counts: the next chunk goes on from there."""
    with transaction.atomic():
        media = _locked_upload(actor, media_id)
        _refuse_unless_uploading(media)
        if offset != media.received:
            raise OffsetMismatch(media.received)
        if length <= 0 or length > settings.MEDIA_CHUNK_BYTES:
            raise ValidationError(
                {
                    "detail": gettext("Send each chunk of 1 byte to %(size)s.")
                    % {"size": size_label(settings.MEDIA_CHUNK_BYTES)}
                }
            )
        if offset + length > media.size:
            raise ValidationError({"detail": gettext("The chunk goes past the size the upload declared.")})
        written = _write_at(media, offset, stream, length)
        media.received = offset + written
        media.last_chunk_at = timezone.now()
        media.save(update_fields=["received", "last_chunk_at"])
    return media


def _write_at(media: MediaFile, offset: int, stream: BinaryIO, length: int) -> int:
    path = media.file.storage.path(media.file.name or "")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    written = 0
    with os.fdopen(descriptor, "r+b") as output:
        output.seek(offset)
        while written < length:
            block = stream.read(min(BLOCK_BYTES, length - written))
            if not block:
                break
            output.write(block)
            written += len(block)
        # Whatever a chunk that was not recorded (its transaction failed) left beyond this goes.
        output.truncate()
    return written


def media_upload_complete(*, actor, media_id: uuid.UUID | str, ip_address: str | None = None) -> MediaFile:
    """Finish an upload: every declared byte has arrived, and the file is what its kind and name
    say (a renamed program or page is refused, and its bytes removed at once)."""
    with transaction.atomic():
        media = _locked_upload(actor, media_id)
        _refuse_unless_uploading(media)
        if media.received != media.size:
            raise ValidationError(
                {
                    "detail": gettext("The upload is not finished: %(received)s of %(size)s bytes arrived.")
                    % {"received": media.received, "size": media.size}
                }
            )
        with media.file.storage.open(media.file.name or "", "rb") as stored:
            matches = policy.content_matches(media.kind, media.name, stored)
        if not matches:
            media.state = MediaFile.State.FAILED
            media.save(update_fields=["state"])
            audit_record(actor=actor, action=events.MEDIA_REFUSED, target=media, ip_address=ip_address)
            transaction.on_commit(functools.partial(media.file.storage.delete, media.file.name or ""))
        else:
            media.state = MediaFile.State.READY
            media.completed_at = timezone.now()
            media.save(update_fields=["state", "completed_at"])
            audit_record(
                actor=actor,
                action=events.MEDIA_UPLOADED,
                target=media,
                ip_address=ip_address,
                data={"kind": media.kind, "size": media.size},
            )
    if not matches:
        raise ValidationError({"detail": not_accepted_message()})
    return media


def media_upload_cancel(*, actor, media_id: uuid.UUID | str) -> None:
    """Drop an unfinished upload and its bytes. A finished file stays: it goes with what it is
    attached to, or with the periodic removal of files nothing uses."""
    with transaction.atomic():
        media = _locked_upload(actor, media_id)
        if media.state == MediaFile.State.READY:
            raise ValidationError(
                {"detail": gettext("This upload is finished and can no longer be cancelled.")}
            )
        media.delete()


def media_store(*, actor, kind: str, name: str, source: BinaryIO, size: int) -> MediaFile:
    """A whole file from the server's side (the demo data, an import): the same start, chunks and
    completion as an upload through the API, so the same checks hold."""
    media = media_upload_start(actor=actor, kind=kind, name=name, size=size)
    while media.received < size:
        length = min(settings.MEDIA_CHUNK_BYTES, size - media.received)
        before = media.received
        media = media_upload_append(
            actor=actor, media_id=media.pk, offset=media.received, stream=source, length=length
        )
        if media.received == before:
            raise ValidationError(
                {
                    "detail": gettext("The upload is not finished: %(received)s of %(size)s bytes arrived.")
                    % {"received": before, "size": size}
                }
            )
    return media_upload_complete(actor=actor, media_id=media.pk)


def unattached_filter() -> Q:
    """Files nothing refers to: every relation pointing at MediaFile (a lesson's video, a session's
    recording, whatever the apps add) is found from the model, not listed here."""
    condition = Q()
    for relation in MediaFile._meta.related_objects:
        condition &= Q(**{f"{relation.name}__isnull": True})
    return condition


def stale_media(now: datetime.datetime) -> QuerySet[MediaFile]:
    expired = now - datetime.timedelta(hours=settings.MEDIA_UPLOAD_EXPIRY_HOURS)
    unused = now - datetime.timedelta(days=settings.MEDIA_UNATTACHED_DAYS)
    unfinished = Q(state__in=[MediaFile.State.UPLOADING, MediaFile.State.FAILED]) & (
        Q(last_chunk_at__lt=expired) | Q(last_chunk_at__isnull=True, created_at__lt=expired)
    )
    forgotten = Q(state=MediaFile.State.READY, completed_at__lt=unused) & unattached_filter()
    return MediaFile.objects.filter(unfinished | forgotten)


def media_remove_stale(*, now: datetime.datetime, batch: int = 500) -> dict[str, int]:
    """Remove unfinished uploads untouched for MEDIA_UPLOAD_EXPIRY_HOURS and finished files nothing
    has used for MEDIA_UNATTACHED_DAYS, with their bytes (signals.py deletes the file on commit).
    Safe to run twice: a row another runner removed first is simply gone."""
    removed = 0
    for pk in list(stale_media(now).values_list("pk", flat=True)[:batch]):
        try:
            with transaction.atomic():
                # Checked again on the locked row: a chunk or an attachment may have come since.
                media = stale_media(now).select_for_update(of=("self",)).filter(pk=pk).first()
                if media is not None:
                    media.delete()
                    removed += 1
        except (ProtectedError, RestrictedError):
            logger.info("media file %s is in use; kept", pk)
    return {"stale_media_removed": removed}
