"""Who may upload media files, and whose uploads are whose. Who may READ a finished file is not
decided here: the app that attaches it (a lesson, a live session's recording) checks access in its
own view before calling `serving.media_response`."""

from __future__ import annotations

from django.db.models import Q


def can_start_upload(user) -> bool:
    """Any signed-in, active account (the per-user quotas bound what each may keep)."""
    return bool(user.is_authenticated and user.is_active)


def uploads_of_filter(user) -> Q:
    """The uploads a user may continue, complete, cancel and ask about: their own, while active."""
    if not can_start_upload(user):
        return Q(pk__in=[])
    return Q(uploaded_by=user)


def is_uploader(user, media_file) -> bool:
    # The filter admits the uploader outright: no query needed to answer for one file.
    return can_start_upload(user) and media_file.uploaded_by_id == user.pk
