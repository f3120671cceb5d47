"""MediaFile rows for tests, and a stand-in for the media app's range-serving function.

`platform_core.media.serving.media_response` is built on the `media` branch; until it is merged,
`serving_stub` puts a tiny module of that name in place for the test (and only the test), which
records what it was asked to serve."""

from __future__ import annotations

import sys
import types

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone

from platform_core.media.models import MediaFile


def media_file(
    user, *, kind: str = MediaFile.Kind.VIDEO, ready: bool = True, name: str = "示范.webm"
) -> MediaFile:
    content = b"\x1a\x45\xdf\xa3 webm" if kind != MediaFile.Kind.CAPTIONS else b"WEBVTT\n"
    row = MediaFile(
        kind=kind,
        state=MediaFile.State.READY if ready else MediaFile.State.UPLOADING,
        uploaded_by=user,
        name=name,
        content_type="video/webm" if kind == MediaFile.Kind.VIDEO else "text/vtt",
        size=len(content),
        received=len(content) if ready else 0,
        completed_at=timezone.now() if ready else None,
    )
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row


def serving_stub(monkeypatch) -> list:
    """Serve through the real media_response if it exists, else through a recording stand-in."""
    served: list = []
    try:
        from platform_core.media import serving  # noqa: F401
    except ImportError:
        module = types.ModuleType("platform_core.media.serving")

        def media_response(request, media_file):
            served.append(media_file)
            return HttpResponse(b"media", content_type=media_file.content_type)

        module.media_response = media_response  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "platform_core.media.serving", module)
    return served
