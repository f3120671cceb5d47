"""/api/v1/media/uploads/: resumable chunked uploads of audio, video and captions (docs/media.md).

    POST   media/uploads/                {kind, name, size, content_type} -> 201 {id, offset, chunk_size, …}
    PATCH  media/uploads/<id>/chunks/    Upload-Offset: n, the chunk as body -> 204, Upload-Offset: n + len
    PUT    media/uploads/<id>/chunks/    the same with Content-Range: bytes n-m/size instead
    GET    media/uploads/<id>/ (or HEAD) -> 200 {offset, state, ...}, Upload-Offset header
    POST   media/uploads/<id>/complete/  -> 200 {state: "ready", ...}; 400 if a byte is missing or
                                            the file is not what its name says
    DELETE media/uploads/<id>/           -> 204, the unfinished upload and its bytes gone

A chunk at another offset than the bytes received answers 409 with the offset to go on from (in
the body and the Upload-Offset header). Only the uploader reaches an upload: anyone else's answers
404. The chunk view never touches `request.body` or `request.data`: it hands the request's stream
to the service, which copies it to the file a block at a time.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.api import PayloadTooLarge
from platform_core.http import client_ip

from . import selectors, services
from . import serializers as s

# What a chunk's body is declared as: tus's type, or plain bytes.
CHUNK_TYPES = {"application/offset+octet-stream", "application/octet-stream"}
_CONTENT_RANGE = re.compile(r"bytes (\d{1,19})-(\d{1,19})/(\d{1,19}|\*)")
_NUMBER = re.compile(r"\d{1,19}")


class LengthRequired(exceptions.APIException):
    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = _("Say the chunk's length (Content-Length).")
    default_code = "length_required"


def _offset_headers(response: Response, media) -> Response:
    response["Upload-Offset"] = str(media.received)
    response["Upload-Length"] = str(media.size)
    response["Cache-Control"] = "no-store"
    return response


CHUNK_PARAMETERS = [
    OpenApiParameter(
        "Upload-Offset",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        description="The chunk's offset: the bytes received so far (or give Content-Range).",
    ),
    OpenApiParameter(
        "Content-Range",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="`bytes first-last/size`, instead of Upload-Offset.",
    ),
]
CHUNK_RESPONSES = {
    204: OpenApiResponse(description="Stored; Upload-Offset says the bytes received now."),
    409: OpenApiResponse(s.OffsetConflictOutput, description="Not the current offset; go on from `offset`."),
    411: OpenApiResponse(OpenApiTypes.OBJECT, description="No Content-Length."),
    415: OpenApiResponse(OpenApiTypes.OBJECT, description="Not application/offset+octet-stream."),
}
CHUNK_BODY = {media_type: OpenApiTypes.BINARY for media_type in sorted(CHUNK_TYPES)}


class MediaUploadsApi(APIView):
    @extend_schema(request=s.UploadStartInput, responses={201: s.UploadOutput})
    def post(self, request):
        serializer = s.UploadStartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        media = services.media_upload_start(actor=request.user, **serializer.validated_data)
        response = Response(s.UploadOutput(media).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-media-upload", args=[media.pk])
        return _offset_headers(response, media)


class MediaUploadApi(APIView):
    @extend_schema(responses={200: s.UploadOutput})
    def get(self, request, pk):
        media = selectors.upload_for_uploader(request.user, pk)
        return _offset_headers(Response(s.UploadOutput(media).data), media)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Cancelled.")})
    def delete(self, request, pk):
        services.media_upload_cancel(actor=request.user, media_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MediaUploadChunkApi(APIView):
    # Nothing here parses a body: a chunk is read from the stream by the service, never whole.
    parser_classes: list = []

    @extend_schema(request=CHUNK_BODY, parameters=CHUNK_PARAMETERS, responses=CHUNK_RESPONSES)
    def patch(self, request, pk):
        return self._append(request, pk)

    @extend_schema(request=CHUNK_BODY, parameters=CHUNK_PARAMETERS, responses=CHUNK_RESPONSES)
    def put(self, request, pk):
        return self._append(request, pk)

    def _append(self, request, pk):
        media = selectors.upload_for_uploader(request.user, pk)
        raw = request._request
        media_type = (raw.content_type or "").split(";", 1)[0].strip().lower()
        if media_type not in CHUNK_TYPES:
            raise exceptions.UnsupportedMediaType(media_type)
        declared = raw.META.get("CONTENT_LENGTH") or ""
        if not _NUMBER.fullmatch(declared.strip()):
            raise LengthRequired()
        length = int(declared)
        if length > settings.MEDIA_CHUNK_BYTES:
            raise PayloadTooLarge()
        offset = self._offset(raw, media, length)
        try:
            media = services.media_upload_append(
                actor=request.user, media_id=media.pk, offset=offset, stream=raw, length=length
            )
        except services.OffsetMismatch as mismatch:
            media.received = mismatch.offset
            conflict = Response(
                {
                    "detail": gettext("This chunk is not at the upload's offset; go on from there."),
                    "offset": mismatch.offset,
                },
                status=status.HTTP_409_CONFLICT,
            )
            return _offset_headers(conflict, media)
        return _offset_headers(Response(status=status.HTTP_204_NO_CONTENT), media)

    @staticmethod
    def _offset(raw, media, length: int) -> int:
        given = raw.headers.get("Upload-Offset")
        if given is not None:
            if not _NUMBER.fullmatch(given.strip()):
                raise exceptions.ValidationError(
                    {"detail": gettext("Upload-Offset must be a number of bytes.")}
                )
            return int(given)
        content_range = _CONTENT_RANGE.fullmatch((raw.headers.get("Content-Range") or "").strip())
        if content_range is None:
            raise exceptions.ValidationError(
                {
                    "detail": gettext(
                        "Say where the chunk goes: Upload-Offset, or Content-Range: bytes first-last/size."
                    )
                }
            )
        first, last, total = content_range.groups()
        if int(last) - int(first) + 1 != length or (total != "*" and int(total) != media.size):
            raise exceptions.ValidationError(
                {"detail": gettext("Content-Range does not match the chunk or the file.")}
            )
        return int(first)


class MediaUploadCompleteApi(APIView):
    @extend_schema(request=None, responses={200: s.UploadOutput})
    def post(self, request, pk):
        media = services.media_upload_complete(actor=request.user, media_id=pk, ip_address=client_ip(request))
        return _offset_headers(Response(s.UploadOutput(media).data), media)
