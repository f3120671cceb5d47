"""/api/v1/ of 经验交流 and of the learning and exchange search. Thin: the same selectors and
services as the pages, so the same rules (a post one may not see is a 404 here as there)."""

from __future__ import annotations

import abc

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances import knowledge
from platform_core.http import client_ip
from platform_core.orgs.models import Studio

from . import permissions, selectors, services
from . import serializers as s
from .knowledge_search import PAGE_SIZE, knowledge_search
from .models import Comment


def _detail(request, pk: int) -> dict:
    viewed = selectors.post_for(request.user, pk)
    data = s.PostDetailOutput(viewed.post).data
    data["access"] = s.PostAccessOutput(viewed.access).data
    return data


def _field_id(request) -> int | None:
    raw = request.query_params.get("field")
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 10:
        raise ApiValidationError({"field": ["Give the id of a field of work."]})
    return int(raw)


class PostListApi(GenericAPIView):
    serializer_class = s.PostListOutput

    def get_permissions(self):
        # Published posts are public; writing one needs an account.
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Chinese full text of title, text and fields"),
            OpenApiParameter("field", int, description="a field of work's id"),
        ],
        responses=s.PostListOutput(many=True),
    )
    def get(self, request):
        rows = selectors.post_list(query=request.query_params.get("q", "")[:200], field_id=_field_id(request))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.PostListOutput(page, many=True).data)

    @extend_schema(request=s.PostCreateInput, responses={201: s.PostDetailOutput})
    def post(self, request):
        payload = s.PostCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        studio = None
        if data.get("studio_id"):
            studio = Studio.objects.filter(pk=data["studio_id"]).first()
            if studio is None:
                raise ValidationError({"studio_id": "No such studio."})
        post = services.post_create(
            actor=request.user,
            title=data["title"],
            body=data["body"],
            fields=data.get("field_ids", []),
            studio=studio,
            ip_address=client_ip(request),
        )
        return Response(_detail(request, post.pk), status=status.HTTP_201_CREATED)


class PostDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.PostDetailOutput)
    def get(self, request, pk: int):
        return Response(_detail(request, pk))

    @extend_schema(request=s.PostInput, responses=s.PostDetailOutput)
    def put(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        payload = s.PostInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.post_edit(
            actor=request.user,
            post=post,
            title=data["title"],
            body=data["body"],
            fields=data.get("field_ids", []),
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        services.post_delete(actor=request.user, post=post, ip_address=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostImagesApi(APIView):
    """A picture for the author's post (decoded and encoded afresh), placed in the text with the
    `markdown` the answer gives."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.ImageInput}, responses={201: s.ImageOutput})
    def post(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        payload = s.ImageInput(data=request.data)
        payload.is_valid(raise_exception=True)
        image = services.post_image_add(
            actor=request.user,
            post=post,
            upload=payload.validated_data["file"],
            ip_address=client_ip(request),
        )
        return Response(s.ImageOutput(image).data, status=status.HTTP_201_CREATED)


class PostCommentsApi(APIView):
    """Comments need an account: the threads the viewer reads, and a new comment or reply."""

    @extend_schema(responses=s.ThreadOutput(many=True))
    def get(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        return Response(s.ThreadOutput(selectors.comments_for(request.user, post), many=True).data)

    @extend_schema(request=s.CommentInput, responses={201: s.CommentOutput})
    def post(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        payload = s.CommentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        parent = None
        if parent_id := payload.validated_data.get("parent_id"):
            parent = Comment.objects.filter(post=post, pk=parent_id).first()
            if parent is None:
                raise ValidationError({"parent_id": _("Reply to a comment of this post.")})
        comment = services.comment_create(
            actor=request.user, post=post, body=payload.validated_data["body"], parent=parent
        )
        return Response(s.CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class _Toggle(APIView, metaclass=abc.ABCMeta):
    """POST {"on": true} (the default) turns it on, {"on": false} off; the answer is the post as
    the viewer now sees it. Each subclass says which service it turns."""

    @abc.abstractmethod
    def toggle(self, request, post, on: bool) -> None: ...

    @extend_schema(request=s.ToggleInput, responses=s.PostDetailOutput)
    def post(self, request, pk: int):
        payload = s.ToggleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        self.toggle(request, selectors.post_for(request.user, pk).post, payload.validated_data["on"])
        return Response(_detail(request, pk))


class PostLikeApi(_Toggle):
    def toggle(self, request, post, on: bool) -> None:
        services.post_like(actor=request.user, post=post, liked=on)


class PostFavouriteApi(_Toggle):
    def toggle(self, request, post, on: bool) -> None:
        services.post_favourite(actor=request.user, post=post, favourite=on)


class PostFeatureApi(_Toggle):
    def toggle(self, request, post, on: bool) -> None:
        services.post_feature(actor=request.user, post=post, featured=on, ip_address=client_ip(request))


class PostReportApi(APIView):
    @extend_schema(request=s.ReportReasonInput, responses={201: s.ReportOutput})
    def post(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        payload = s.ReportReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_file(
            actor=request.user,
            post=post,
            reason=payload.validated_data["reason"],
            ip_address=client_ip(request),
        )
        return Response(s.ReportOutput(report).data, status=status.HTTP_201_CREATED)


class CommentApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        comment = selectors.comment_for(request.user, pk)
        services.comment_delete(actor=request.user, comment=comment, ip_address=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentReportApi(APIView):
    @extend_schema(request=s.ReportReasonInput, responses={201: s.ReportOutput})
    def post(self, request, pk: int):
        comment = selectors.comment_for(request.user, pk)
        payload = s.ReportReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_file(
            actor=request.user,
            post=comment.post,
            comment=comment,
            reason=payload.validated_data["reason"],
            ip_address=client_ip(request),
        )
        return Response(s.ReportOutput(report).data, status=status.HTTP_201_CREATED)


class FavouritesApi(GenericAPIView):
    serializer_class = s.PostListOutput

    @extend_schema(responses=s.PostListOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.favourites_of(request.user))
        return self.get_paginated_response(s.PostListOutput(page, many=True).data)


class ModerationQueueApi(APIView):
    @extend_schema(responses=s.QueueOutput)
    def get(self, request):
        if not permissions.is_moderator(request.user):
            raise PermissionDenied("Only union admins moderate the experience exchange.")
        return Response(s.QueueOutput(selectors.moderation_queue(request.user)).data)


class PostModerateApi(APIView):
    @extend_schema(request=s.ModerateInput, responses=s.PostDetailOutput)
    def post(self, request, pk: int):
        post = selectors.post_for(request.user, pk).post
        payload = s.ModerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.post_moderate(
            actor=request.user, post=post, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(_detail(request, pk))


class CommentModerateApi(APIView):
    @extend_schema(request=s.ModerateInput, responses=s.CommentOutput)
    def post(self, request, pk: int):
        comment = selectors.comment_for(request.user, pk)
        payload = s.ModerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.comment_moderate(
            actor=request.user, comment=comment, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.CommentOutput(comment).data)


class ReportDismissApi(APIView):
    @extend_schema(request=None, responses=s.ReportOutput)
    def post(self, request, pk: int):
        report = selectors.report_for_moderator(request.user, pk)
        report = services.report_dismiss(actor=request.user, report=report, ip_address=client_ip(request))
        return Response(s.ReportOutput(report).data)


class KnowledgeSearchApi(APIView):
    """The learning and exchange search: every registered kind the viewer may see (anonymous
    visitors included), merged by relevance then date, with facets by kind and field of work."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="the query (a 2-character Chinese word matches)"),
            OpenApiParameter("kind", str, description="one kind: course, post, qa …"),
            OpenApiParameter("field", int, description="a field of work's id"),
            OpenApiParameter("limit", int, description=f"results per page (1-100, default {PAGE_SIZE})"),
            OpenApiParameter("offset", int),
        ],
        responses=s.KnowledgeResultsOutput,
    )
    def get(self, request):
        params = request.query_params
        kind_key = params.get("kind", "")
        if kind_key and knowledge.kind(kind_key) is None:
            raise ApiValidationError(
                {"kind": [f"Unknown kind; one of: {', '.join(k.key for k in knowledge.kinds())}."]}
            )
        limit = _bounded(params.get("limit"), "limit", 1, 100, PAGE_SIZE)
        offset = _bounded(params.get("offset"), "offset", 0, 100_000, 0)
        results = knowledge_search(
            request.user,
            query=params.get("q", "")[:200],
            kind_key=kind_key,
            field_id=_field_id(request),
            offset=offset,
            limit=limit,
        )
        return Response(s.KnowledgeResultsOutput(results).data)


def _bounded(raw: str | None, name: str, minimum: int, maximum: int, default: int) -> int:
    if raw in (None, ""):
        return default
    if not raw.isdigit() or len(raw) > 10 or not minimum <= int(raw) <= maximum:
        raise ApiValidationError({name: [f"Give a whole number from {minimum} to {maximum}."]})
    return int(raw)
