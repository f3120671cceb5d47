"""Serving a finished media file to whoever the owning app let through, with HTTP ranges so a
player can seek.

The owner's view checks access with its own selector, then hands over:

    def lesson_video(request, pk):
        lesson = selectors.lesson_for(request.user, pk)   # 404 / 403 as the owner's rules say
        return media_response(request, lesson.media)

`media_response` answers GET and HEAD: 200 with the whole file and `Accept-Ranges: bytes`; 206 for
one `Range: bytes=a-b` (also `a-` and the suffix `-n`), 416 with `Content-Range: bytes */size` for
a range past the end; a `Range` with several ranges, another unit or bad syntax is ignored (the
whole file, as RFC 9110 allows); `If-Range` that names another version (its ETag or date) also
gets the whole file, and `If-None-Match` with the file's ETag a 304. The type is the one stored for
the kind and extension, the disposition `inline` with the cleaned name, and like every private
download: `Cache-Control: private, no-store`, nosniff and a sandbox.

The body is read from disk in blocks as it is sent (an async iterator under ASGI, so Django does
not gather a sync iterator into a list first), never whole. With MEDIA_ACCEL_REDIRECT set
(production behind nginx: an `internal` location aliased to PRIVATE_MEDIA_ROOT) the answer
carries only `X-Accel-Redirect` and the headers, and nginx sends the bytes and answers the ranges
itself: daphne neither holds a process streaming a lecture nor buffers what a slow client has not
read yet.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import quote

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

from platform_core.uploads import clean_file_name

from .models import MediaFile

BLOCK_BYTES = 256 * 1024
# One range; at most 19 digits each (a longer number is no range of a stored file: ignored).
_RANGE = re.compile(r"bytes\s*=\s*(\d{0,19})\s*-\s*(\d{0,19})", re.IGNORECASE)
UNSATISFIABLE = "unsatisfiable"


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The one byte range asked for, as (first, last) inclusive and within the file; UNSATISFIABLE
    for a range wholly past its end (or an empty suffix); None to send the whole file."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        suffix = int(last)
        if suffix == 0:
            return UNSATISFIABLE
        return max(0, size - suffix), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, min(int(last), size - 1) if last else size - 1


def _etag(media_file: MediaFile) -> str:
    # A finished file never changes: its id and size name this version for good.
    return f'"{media_file.pk.hex}-{media_file.size}"'


def _if_range_holds(request, etag: str, last_modified: int | None) -> bool:
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    condition = condition.strip()
    if condition.startswith(('"', "W/")):
        return condition == etag  # a strong comparison: a weak validator never matches
    date = parse_http_date_safe(condition)
    return date is not None and last_modified is not None and date == last_modified


def _none_match(request, etag: str) -> bool:
    condition = request.headers.get("If-None-Match")
    if not condition:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in condition.split(",")}
    return "*" in tags or etag in tags


def _private(response: HttpResponseBase, media_file: MediaFile) -> HttpResponseBase:
    name = clean_file_name(media_file.name) or "media"
    response["Content-Disposition"] = content_disposition_header(False, name) or "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _content_type(media_file: MediaFile) -> str:
    content_type = media_file.content_type or "application/octet-stream"
    return f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type


def _blocks(path: str, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as stored:
        stored.seek(start)
        left = length
        while left > 0:
            block = stored.read(min(BLOCK_BYTES, left))
            if not block:
                return
            left -= len(block)
            yield block


async def _async_blocks(path: str, start: int, length: int) -> AsyncIterator[bytes]:
    stored = await asyncio.to_thread(open, path, "rb")
    try:
        await asyncio.to_thread(stored.seek, start)
        left = length
        while left > 0:
            block = await asyncio.to_thread(stored.read, min(BLOCK_BYTES, left))
            if not block:
                return
            left -= len(block)
            yield block
    finally:
        await asyncio.to_thread(stored.close)


def media_response(request, media_file: MediaFile | None) -> HttpResponseBase:
    """The answer to GET or HEAD of a media file the caller has cleared (see the module doc)."""
    if media_file is None or not media_file.is_ready or not media_file.file.name:
        raise Http404("no such media file")
    django_request = getattr(request, "_request", request)  # a DRF view passes its wrapper
    size = media_file.size
    etag = _etag(media_file)
    last_modified = int(media_file.completed_at.timestamp()) if media_file.completed_at else None

    prefix = settings.MEDIA_ACCEL_REDIRECT
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type=_content_type(media_file))
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(media_file.file.name)
        return _private(response, media_file)

    if _none_match(django_request, etag):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return _private(response, media_file)

    wanted = parse_range(django_request.headers.get("Range"), size)
    if wanted is not None and not _if_range_holds(django_request, etag, last_modified):
        wanted = None
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return _private(response, media_file)

    start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = end - start + 1
    if django_request.method == "HEAD":
        response = HttpResponse(content_type=_content_type(media_file))
    else:
        path = media_file.file.storage.path(media_file.file.name)
        blocks = (
            _async_blocks(path, start, length)
            if isinstance(django_request, ASGIRequest)
            else _blocks(path, start, length)
        )
        response = StreamingHttpResponse(blocks, content_type=_content_type(media_file))
    if isinstance(wanted, tuple):
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return _private(response, media_file)
