"""/api/v1/ of the showcase: the public list (same filters as the page, and `search`), facets,
details; inquiries (login) with their statuses and outcome. Thin: selectors and services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.owners import owner_from_ids
from platform_core.http import client_ip
from platform_core.private_storage import private_file_response

from . import selectors
from . import serializers as s
from .models import Achievement, AchievementFile, Award, TransferListing
from .selectors import SORTS, RoundForViewer, ShowcaseFilters
from .services import achievements, rounds, transfer

FILTER_PARAMETERS = [
    OpenApiParameter(
        "search", str, description="full text of title, summary and description (Chinese: 1+ characters)"
    ),
    OpenApiParameter("type", str, enum=Achievement.Type.values),
    OpenApiParameter("field", str),
    OpenApiParameter("level", str, description="studio level"),
    OpenApiParameter("unit", int),
    OpenApiParameter("maturity", int, description="technology readiness level 1-9"),
    OpenApiParameter("mode", str, enum=TransferListing.Mode.values),
    OpenApiParameter("has_patent", str, enum=["1", "0"]),
    OpenApiParameter("award", str, enum=Award.values),
    OpenApiParameter("sort", str, enum=list(SORTS)),
]


def _visible(request, pk: int) -> Achievement:
    try:
        return selectors.achievement_for(request.user, pk)
    except Http404:
        raise NotFound from None


def _detail(request, pk: int) -> dict:
    """An achievement as this viewer may see it: the same selectors as its page."""
    achievement = _visible(request, pk)
    listing = selectors.listing_for(request.user, achievement)
    return s.AchievementDetailOutput(achievement, context={"listing": listing}).data


class AchievementListApi(GenericAPIView):
    serializer_class = s.AchievementListOutput

    def get_permissions(self):
        # The showcase is public; creating an achievement needs a login.
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.AchievementListOutput(many=True))
    def get(self, request):
        """`count` is at most RESULT_WINDOW (1,000): beyond it `count_capped` is true and the list
        holds the newest 1,000 matches, ranked (docs/showcase.md, "Search")."""
        filters = ShowcaseFilters.from_params(request.query_params)
        window = selectors.showcase_window(filters)
        page = self.paginate_queryset(selectors.showcase_results(filters, window))
        response = self.get_paginated_response(s.AchievementListOutput(page, many=True).data)
        response.data["count_capped"] = window.more
        return response

    @extend_schema(request=s.AchievementCreateInput, responses={201: s.AchievementDetailOutput})
    def post(self, request):
        payload = s.AchievementCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        studio, team = _owner(data)
        outcome = None
        if outcome_id := data.pop("outcome_id", None):
            outcome = selectors.outcomes_for(request.user).filter(pk=outcome_id).first()
            if outcome is None:
                raise NotFound
        achievement = achievements.achievement_create(
            actor=request.user,
            studio=studio,
            team=team,
            outcome=outcome,
            ip_address=client_ip(request),
            **data,
        )
        return Response(_detail(request, achievement.pk), status=201)


class AchievementFacetsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.FacetOutput(many=True))
    def get(self, request):
        facets = selectors.showcase_facets(ShowcaseFilters.from_params(request.query_params))
        return Response(s.FacetOutput(facets, many=True).data)


class AchievementDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.AchievementDetailOutput)
    def get(self, request, pk: int):
        return Response(_detail(request, pk))

    @extend_schema(request=s.AchievementInput, responses=s.AchievementDetailOutput)
    def put(self, request, pk: int):
        achievement = _visible(request, pk)
        payload = s.AchievementInput(data=request.data)
        payload.is_valid(raise_exception=True)
        achievements.achievement_update(
            actor=request.user,
            achievement=achievement,
            ip_address=client_ip(request),
            **payload.validated_data,
        )
        return Response(_detail(request, pk))


class AchievementFileListApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.AchievementFileInput}, responses={201: s.AchievementFileOutput}
    )
    def post(self, request, pk: int):
        achievement = _visible(request, pk)
        payload = s.AchievementFileInput(data=request.data)
        payload.is_valid(raise_exception=True)
        stored = achievements.achievement_file_add(
            actor=request.user,
            achievement=achievement,
            upload=payload.validated_data["file"],
            kind=payload.validated_data["kind"],
            ip_address=client_ip(request),
        )
        return Response(s.AchievementFileOutput(stored).data, status=status.HTTP_201_CREATED)


class AchievementFileApi(APIView):
    """The API's way to read an achievement's file: whoever may see the achievement, checked on
    every download (a draft's files are as private as the draft)."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    def _stored(self, request, pk: int, file_id: int) -> AchievementFile:
        return get_object_or_404(AchievementFile, pk=file_id, achievement=_visible(request, pk))

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int, file_id: int):
        stored = self._stored(request, pk, file_id)
        as_attachment = stored.kind != AchievementFile.Kind.IMAGE
        return private_file_response(stored.file, filename=stored.name, as_attachment=as_attachment)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, file_id: int):
        achievements.achievement_file_remove(
            actor=request.user, stored=self._stored(request, pk, file_id), ip_address=client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InquiryListApi(GenericAPIView):
    serializer_class = s.InquiryOutput

    @extend_schema(responses=s.InquiryOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.inquiries_for(request.user))
        return self.get_paginated_response(s.InquiryOutput(page, many=True).data)


class AchievementInquiryApi(APIView):
    @extend_schema(request=s.InquiryInput, responses={201: s.InquiryOutput})
    def post(self, request, pk: int):
        achievement = _visible(request, pk)
        listing = getattr(achievement, "listing", None)
        if listing is None:
            raise NotFound
        payload = s.InquiryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        inquiry = transfer.inquiry_send(
            actor=request.user, listing=listing, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.InquiryOutput(inquiry).data, status=status.HTTP_201_CREATED)


def _inquiry(request, pk: int):
    try:
        return selectors.inquiry_for(request.user, pk)
    except Http404:
        raise NotFound from None


class InquiryDetailApi(APIView):
    @extend_schema(responses=s.InquiryOutput)
    def get(self, request, pk: int):
        return Response(s.InquiryOutput(_inquiry(request, pk)).data)


class InquiryStatusApi(APIView):
    @extend_schema(request=s.InquiryStatusInput, responses=s.InquiryOutput)
    def post(self, request, pk: int):
        inquiry = _inquiry(request, pk)
        payload = s.InquiryStatusInput(data=request.data)
        payload.is_valid(raise_exception=True)
        inquiry = transfer.inquiry_set_status(
            actor=request.user, inquiry=inquiry, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.InquiryOutput(inquiry).data)


class InquiryCaseApi(APIView):
    @extend_schema(request=s.CaseInput, responses={201: s.InquiryOutput})
    def post(self, request, pk: int):
        inquiry = _inquiry(request, pk)
        payload = s.CaseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer.case_record(
            actor=request.user, inquiry=inquiry, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.InquiryOutput(inquiry).data, status=status.HTTP_201_CREATED)


# Writes of achievements, listings and rounds: the same services as the pages.


def _owner(data: dict):
    return owner_from_ids(data.pop("studio_id", None), data.pop("team_id", None))


ACHIEVEMENT_ACTIONS: dict[str, tuple[Callable[..., Achievement], bool]] = {
    "submit": (achievements.achievement_submit, False),
    "publish": (achievements.achievement_publish, False),
    "return": (achievements.achievement_return, True),
    "withdraw": (achievements.achievement_withdraw, True),
}


class AchievementActionApi(APIView):
    @extend_schema(
        request=s.AchievementReasonInput,
        responses=s.AchievementDetailOutput,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(ACHIEVEMENT_ACTIONS))],
    )
    def post(self, request, pk: int, action: str):
        if action not in ACHIEVEMENT_ACTIONS:
            raise NotFound
        achievement = _visible(request, pk)
        service, needs_reason = ACHIEVEMENT_ACTIONS[action]
        payload = s.AchievementReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        extra = {"reason": payload.validated_data.get("reason", "")} if needs_reason else {}
        service(actor=request.user, achievement=achievement, ip_address=client_ip(request), **extra)
        return Response(_detail(request, pk))


class ListingApi(APIView):
    @extend_schema(request=s.ListingInput, responses=s.ListingOutput)
    def put(self, request, pk: int):
        achievement = _visible(request, pk)
        payload = s.ListingInput(data=request.data)
        payload.is_valid(raise_exception=True)
        listing = transfer.listing_save(
            actor=request.user,
            achievement=achievement,
            ip_address=client_ip(request),
            **payload.validated_data,
        )
        return Response(s.ListingOutput(listing).data)


def _round(request, pk: int) -> RoundForViewer:
    try:
        return selectors.round_for(request.user, pk)
    except Http404:
        raise NotFound from None


def _round_detail(viewed: RoundForViewer) -> dict:
    """The round as its viewer may see it (selectors.round_for): no ranking where it is hidden."""
    return s.RoundDetailOutput(
        viewed.round, context={"ranking": viewed.ranking or [], "panel": viewed.panel}
    ).data


class RoundListApi(GenericAPIView):
    serializer_class = s.RoundOutput

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.RoundOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.rounds_for(request.user).prefetch_related("criteria"))
        return self.get_paginated_response(s.RoundOutput(page, many=True).data)

    @extend_schema(request=s.RoundInput, responses={201: s.RoundDetailOutput})
    def post(self, request):
        payload = s.RoundInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        expert_ids = data.pop("expert_ids", [])
        experts = list(get_user_model().objects.filter(pk__in=expert_ids))
        if len(experts) != len(set(expert_ids)):
            raise NotFound
        round = rounds.round_open(
            actor=request.user,
            experts=experts,
            criteria=[(row["name"], row["weight"]) for row in data.pop("criteria")],
            ip_address=client_ip(request),
            **data,
        )
        return Response(_round_detail(_round(request, round.pk)), status=201)


class RoundDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.RoundDetailOutput)
    def get(self, request, pk: int):
        return Response(_round_detail(_round(request, pk)))


class RoundActionApi(APIView):
    """experts {id}, entries {id}, scores {entry_id, scores}, close {}, publish {results}."""

    @extend_schema(
        operation_id="v1_rounds_action",
        request=s.RoundScoresInput,
        responses=s.RoundDetailOutput,
        parameters=[
            OpenApiParameter(
                "action",
                str,
                OpenApiParameter.PATH,
                enum=["experts", "entries", "scores", "close", "publish"],
            )
        ],
        description="The body depends on the action: experts and entries {id}; scores "
        "{entry_id, scores: [{criterion, value, comment}]}; close {}; publish {results: {entry id: award}}.",
    )
    def post(self, request, pk: int, action: str):
        round = _round(request, pk).round
        ip = client_ip(request)
        if action in ("experts", "entries"):
            target = s.IdInput(data=request.data)
            target.is_valid(raise_exception=True)
            if action == "experts":
                expert = get_user_model().objects.filter(pk=target.validated_data["id"]).first()
                if expert is None:
                    raise NotFound
                rounds.round_expert_add(actor=request.user, round=round, expert=expert, ip_address=ip)
            else:
                achievement = selectors.showcase_base().filter(pk=target.validated_data["id"]).first()
                if achievement is None:
                    raise NotFound
                rounds.round_entry_add(
                    actor=request.user, round=round, achievement=achievement, ip_address=ip
                )
        elif action == "scores":
            payload = s.RoundScoresInput(data=request.data)
            payload.is_valid(raise_exception=True)
            entry = round.entries.filter(pk=payload.validated_data["entry_id"]).first()
            if entry is None:
                raise NotFound
            rounds.round_score(
                actor=request.user, entry=entry, scores=payload.validated_data["scores"], ip_address=ip
            )
        elif action == "close":
            rounds.round_close(actor=request.user, round=round, ip_address=ip)
        elif action == "publish":
            publishing = s.ResultsInput(data=request.data)
            publishing.is_valid(raise_exception=True)
            results = {}
            for key, value in publishing.validated_data["results"].items():
                if not str(key).isdigit():
                    raise ValidationError({"results": ["Keys are entry ids."]})
                results[int(key)] = value
            rounds.round_publish(actor=request.user, round=round, results=results, ip_address=ip)
        else:
            raise NotFound
        return Response(_round_detail(_round(request, pk)))
