"""Private storage for uploaded files that must never have a public URL (challenge attachments,
chat attachments): files live outside MEDIA_ROOT, so neither Django's debug media view nor the
reverse proxy's /media/ can serve them. Each app reads them back only through its own
access-checked download view."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from platform_core.uploads import clean_file_name


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


def private_file_response(
    stored: FieldFile, *, filename: str, as_attachment: bool = True
) -> HttpResponseBase:
    """The answer to a download the caller has cleared (every access check happens before this).

    With PRIVATE_MEDIA_ACCEL_PREFIX set (production behind nginx: `/_protected/`, an `internal`
    location aliased to PRIVATE_MEDIA_ROOT) the answer carries only `X-Accel-Redirect` and nginx
    sends the file, so a daphne process is not held streaming it; otherwise the file is streamed
    from here. Either way: a safe download name, no sniffing, no cache, and a sandbox for anything
    a browser would open inline.
    """
    # Cleaned again here: rows stored before the upload policy cleaned names keep what was sent.
    filename = clean_file_name(filename) or "file"
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response: HttpResponseBase = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(stored.name or "")
        # nginx takes the type from the file's extension; the disposition is ours to set.
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
        del response["Content-Type"]
    else:
        response = FileResponse(stored.open("rb"), as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
