"""Large audio and video files (course lessons, lecture recordings) and their captions.

They are too large for a form post: they arrive in resumable chunks through their own endpoint,
streamed to private storage (never held in memory), and are read back only through the owning
object's access-checked view, which answers range requests so a player can seek. A MediaFile
knows nothing of who owns it: the app that attaches it (a lesson, a live session) decides who may
read it, through its own selector.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage


def media_upload_to(instance: MediaFile, filename: str) -> str:
    # The id, not the client's name, names the file on disk: the name is only shown.
    return f"media/{instance.pk.hex[:2]}/{instance.pk.hex}"


class MediaFile(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        CAPTIONS = "captions", _("Captions (WebVTT)")

    class State(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UPLOADING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="media_files",
    )
    # The cleaned client file name, for display and the download's Content-Disposition.
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    # Declared by the client when the upload starts; `received` counts what has arrived.
    size = models.BigIntegerField(_("size in bytes"))
    received = models.BigIntegerField(_("bytes received"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=media_upload_to, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration in seconds"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # When the last chunk arrived: an upload untouched for MEDIA_UPLOAD_EXPIRY_HOURS is removed.
    last_chunk_at = models.DateTimeField(_("last chunk at"), null=True, blank=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        indexes = [models.Index(fields=["uploaded_by", "state"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY
