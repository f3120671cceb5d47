"""/api/v1/ of the showcase: the public list (same filters as the page, and `search`), facets,
details; inquiries (login) with their statuses and outcome. Thin: selectors and services."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from . import selectors
from . import serializers as s
from .models import Achievement, Award, TransferListing
from .selectors import SORTS, ShowcaseFilters
from .services import transfer

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


class AchievementListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.AchievementListOutput

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.AchievementListOutput(many=True))
    def get(self, request):
        results = selectors.showcase_results(ShowcaseFilters.from_params(request.query_params))
        page = self.paginate_queryset(results)
        return self.get_paginated_response(s.AchievementListOutput(page, many=True).data)


class AchievementFacetsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.FacetOutput(many=True))
    def get(self, request):
        facets = selectors.showcase_facets(ShowcaseFilters.from_params(request.query_params))
        return Response(s.FacetOutput(facets, many=True).data)


class AchievementDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.AchievementDetailOutput)
    def get(self, request, pk: int):
        return Response(s.AchievementDetailOutput(_visible(request, pk)).data)


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
