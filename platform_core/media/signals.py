"""A media file's bytes go with its row, whoever deletes it (a cancelled upload, the periodic
removal, a lesson deleted with its video): after the transaction commits, so a rolled-back delete
keeps them."""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import MediaFile

logger = logging.getLogger(__name__)


def _delete_stored(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.exception("could not delete the media file %s", name)


@receiver(post_delete, sender=MediaFile, dispatch_uid="media_file_bytes")
def delete_stored_bytes(sender, instance: MediaFile, **kwargs) -> None:
    if instance.file.name:
        transaction.on_commit(functools.partial(_delete_stored, instance.file.storage, instance.file.name))
