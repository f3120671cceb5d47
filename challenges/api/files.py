"""Attachments: uploads, and downloads that check access every time."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import AnonymousBrowserToLoginMixin, client_ip
from platform_core.private_storage import private_file_response

from .. import permissions, selectors
from .. import serializers as s
from ..models import Attachment
from ..services import attachments
from .common import get_or_404, parse, visible_bid, visible_challenge, visible_milestone, visible_problem


class AttachmentUploadApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.AttachmentInput}, responses={201: s.AttachmentOutput})
    def post(self, request, kind: str, pk: int):
        owner: dict = {}
        if kind == "problems":
            owner["problem"] = visible_problem(request, pk)
        elif kind == "challenges":
            owner["challenge"] = visible_challenge(request, pk)
        elif kind == "bids":
            owner["bid"] = visible_bid(request, pk)[0]
        else:
            owner["milestone"] = visible_milestone(request, pk)
        upload = parse(s.AttachmentInput, request).validated_data["file"]
        attachment = attachments.attachment_add(
            actor=request.user, upload=upload, ip_address=client_ip(request), **owner
        )
        return Response(s.AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadApi(AnonymousBrowserToLoginMixin, APIView):
    """The only way to read an attachment: access is checked on every download."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        attachment = get_or_404(
            Attachment.objects.select_related(
                "problem__unit", "challenge__unit", "bid__challenge__unit", "milestone__challenge__unit"
            ),
            pk,
        )
        owner = attachment.bid or attachment.milestone
        challenge_id = attachment.challenge_id or (owner.challenge_id if owner is not None else None)
        state = selectors.effective_state_by_pk(challenge_id) if challenge_id else ""
        if not permissions.can_download_attachment(request.user, attachment, state=state):
            raise NotFound
        return private_file_response(attachment.file, filename=attachment.name)
