"""/api/v1/ of consultations (login; the same selectors and services as the pages), the
committees (login) and the public Q&A (open to anyone)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.accounts.models import Committee
from platform_core.http import client_ip
from platform_core.orgs.models import Studio

from . import selectors, services
from . import serializers as s


def _viewer(request, pk: int) -> selectors.ConsultationForViewer:
    try:
        return selectors.consultation_for(request.user, pk)
    except Http404:
        raise NotFound from None


def _consultation(request, pk: int):
    return _viewer(request, pk).consultation


def _detail(request, pk: int) -> dict:
    viewer = _viewer(request, pk)
    return s.ConsultationOutput(viewer.consultation, context={"viewer": viewer}).data


class ConsultationListApi(GenericAPIView):
    """GET: the consultations the user asked, has, chairs or oversees (`?pool=1`: the waiting
    questions they may take). POST: ask a committee (JSON, or multipart with one `file`)."""

    serializer_class = s.ConsultationListOutput
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("pool", str, enum=["1"], description="the questions I may take")],
        responses=s.ConsultationListOutput(many=True),
    )
    def get(self, request):
        if request.query_params.get("pool") == "1":
            rows = selectors.takeable_by(request.user)
        else:
            rows = selectors.consultations_of(request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.ConsultationListOutput(page, many=True).data)

    @extend_schema(
        request={"application/json": s.AskInput, "multipart/form-data": s.AskInput},
        responses={201: s.ConsultationOutput},
    )
    def post(self, request):
        payload = s.AskInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        committee = Committee.objects.filter(code=data["committee"]).first()
        if committee is None:
            raise NotFound
        studio = None
        if data.get("studio_id"):
            studio = Studio.objects.filter(pk=data["studio_id"]).first()
            if studio is None:
                raise NotFound
        consultation = services.consultation_ask(
            actor=request.user,
            committee=committee,
            studio=studio,
            title=data["title"],
            body=data["body"],
            fields=data.get("work_fields") or [],
            files=[data["file"]] if data.get("file") else [],
            ip_address=client_ip(request),
        )
        return Response(_detail(request, consultation.pk), status=status.HTTP_201_CREATED)


class ConsultationDetailApi(APIView):
    @extend_schema(responses=s.ConsultationOutput)
    def get(self, request, pk: int):
        return Response(_detail(request, pk))


class ConsultationTakeApi(APIView):
    @extend_schema(request=None, responses=s.ConsultationOutput)
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        services.consultation_take(
            actor=request.user, consultation=consultation, ip_address=client_ip(request)
        )
        return Response(_detail(request, pk))


class ConsultationAssignApi(APIView):
    @extend_schema(request=s.AssignInput, responses=s.ConsultationOutput)
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        payload = s.AssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        expert = get_user_model().objects.filter(pk=payload.validated_data["expert_id"]).first()
        services.consultation_assign(
            actor=request.user, consultation=consultation, expert=expert, ip_address=client_ip(request)
        )
        return Response(_detail(request, pk))


class ConsultationAnswerApi(APIView):
    @extend_schema(request=s.ConsultationAnswerInput, responses=s.ConsultationOutput)
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        payload = s.ConsultationAnswerInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.consultation_answer(
            actor=request.user,
            consultation=consultation,
            answer=payload.validated_data["answer"],
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))


class ConsultationCloseApi(APIView):
    """The asker withdraws a question that has no answer yet (an expert closes by answering)."""

    @extend_schema(request=None, responses=s.ConsultationOutput)
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        services.consultation_withdraw(
            actor=request.user, consultation=consultation, ip_address=client_ip(request)
        )
        return Response(_detail(request, pk))


class ConsultationRateApi(APIView):
    @extend_schema(request=s.RateInput, responses=s.ConsultationOutput)
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        payload = s.RateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.consultation_rate(
            actor=request.user,
            consultation=consultation,
            rating=payload.validated_data["rating"],
            comment=payload.validated_data.get("comment", ""),
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))


class ConsultationPublishApi(APIView):
    @extend_schema(request=s.PublishInput, responses={201: s.QAOutput})
    def post(self, request, pk: int):
        consultation = _consultation(request, pk)
        payload = s.PublishInput(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.consultation_publish(
            actor=request.user,
            consultation=consultation,
            hide_name=payload.validated_data["hide_name"],
            ip_address=client_ip(request),
        )
        return Response(
            s.QAOutput(selectors.qa_for(request.user, entry.pk)).data, status=status.HTTP_201_CREATED
        )


class CommitteeListApi(GenericAPIView):
    serializer_class = s.CommitteeOutput

    @extend_schema(responses=s.CommitteeOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.committees().order_by("pk"))
        return self.get_paginated_response(s.CommitteeOutput(page, many=True).data)


class CommitteeDetailApi(APIView):
    @extend_schema(responses=s.CommitteeDetailOutput)
    def get(self, request, code: str):
        try:
            committee = selectors.committee_for(request.user, code)
        except Http404:
            raise NotFound from None
        return Response(s.CommitteeDetailOutput(committee).data)


class QAListApi(GenericAPIView):
    serializer_class = s.QAOutput
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Chinese search (a 2-character word matches)")],
        responses=s.QAOutput(many=True),
    )
    def get(self, request):
        query = request.query_params.get("q", "")[:100]
        page = self.paginate_queryset(selectors.qa_entries(request.user, query))
        return self.get_paginated_response(s.QAOutput(page, many=True).data)


class QADetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.QAOutput)
    def get(self, request, pk: int):
        try:
            entry = selectors.qa_for(request.user, pk)
        except Http404:
            raise NotFound from None
        return Response(s.QAOutput(entry).data)
