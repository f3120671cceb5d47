"""/api/v1/ of naming rounds: thin doors over the same selectors and services as the pages, so the
API shows exactly what the page shows (scores sealed alike)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from ..selectors import studio_for_viewer
from ..standards import Standard
from . import selectors, services
from .models import NamingRound, Objection, StudioTitle


class RoundOutput(serializers.ModelSerializer):
    class Meta:
        model = NamingRound
        fields = [
            "id",
            "kind",
            "level",
            "title",
            "year",
            "period_years",
            "status",
            "nominations_close_on",
            "assessment_close_on",
            "scoring_close_on",
            "notice_starts_on",
            "notice_ends_on",
            "weights",
            "pass_mark",
        ]


class NominationRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    studio_id = serializers.IntegerField()
    studio = serializers.CharField(source="studio.name")
    status = serializers.CharField()


class RankedOutput(NominationRowOutput):
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class RoundDetailOutput(serializers.Serializer):
    round = RoundOutput()
    nominations = NominationRowOutput(many=True, help_text="The nominations the viewer may open.")
    ranking = RankedOutput(many=True, allow_null=True, help_text="The round's admin, once scoring is closed.")
    named_list = RankedOutput(many=True, allow_null=True, help_text="Once published (公示), for everyone.")
    can_manage = serializers.BooleanField()
    nominatable_studio_ids = serializers.ListField(child=serializers.IntegerField())


def _round_detail(viewed: selectors.RoundForViewer) -> dict:
    return {
        "round": RoundOutput(viewed.round).data,
        "nominations": NominationRowOutput(viewed.nominations, many=True).data,
        "ranking": None if viewed.ranking is None else RankedOutput(viewed.ranking, many=True).data,
        "named_list": None if viewed.named_list is None else RankedOutput(viewed.named_list, many=True).data,
        "can_manage": viewed.can_manage,
        "nominatable_studio_ids": [studio.pk for studio in viewed.nominatable],
    }


class WeightsInput(serializers.Serializer):
    political = serializers.IntegerField(min_value=0, max_value=100)
    breakthrough = serializers.IntegerField(min_value=0, max_value=100)
    achievements = serializers.IntegerField(min_value=0, max_value=100)
    talent = serializers.IntegerField(min_value=0, max_value=100)
    support = serializers.IntegerField(min_value=0, max_value=100)


class RoundInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NamingRound.Kind.choices, default=NamingRound.Kind.NAMING)
    level = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period_years = serializers.IntegerField(min_value=1, max_value=10, default=2)
    nominations_close_on = serializers.DateField()
    assessment_close_on = serializers.DateField()
    scoring_close_on = serializers.DateField()
    notice_ends_on = serializers.DateField()
    weights = WeightsInput()
    pass_mark = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, default=Decimal(60)
    )
    expert_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=50)


class RoundListApi(GenericAPIView):
    serializer_class = RoundOutput

    @extend_schema(responses=RoundOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.rounds_for(request.user))
        return self.get_paginated_response(RoundOutput(page, many=True).data)

    @extend_schema(request=RoundInput, responses={201: RoundDetailOutput})
    def post(self, request):
        payload = RoundInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        expert_ids = data.pop("expert_ids", [])
        experts = list(get_user_model().objects.filter(pk__in=expert_ids))
        if len(experts) != len(set(expert_ids)):
            raise NotFound
        opened = services.round_open(
            actor=request.user, experts=experts, ip_address=client_ip(request), **data
        )
        return Response(
            _round_detail(selectors.round_for(request.user, opened.pk)), status=status.HTTP_201_CREATED
        )


class RoundDetailApi(APIView):
    @extend_schema(responses=RoundDetailOutput)
    def get(self, request, pk: int):
        return Response(_round_detail(selectors.round_for(request.user, pk)))


class NominateInput(serializers.Serializer):
    studio_id = serializers.IntegerField()
    statement = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class FigureOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF moves declared fields off the class
    standard = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.CharField()


class StandardOutput(serializers.Serializer):
    standard = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF moves declared fields off the class
    weight = serializers.IntegerField()
    text = serializers.CharField()
    figures = FigureOutput(many=True)
    evidence = serializers.SerializerMethodField()
    my_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    def get_evidence(self, row) -> list[dict]:
        return [{"id": e.pk, "name": e.name, "size": e.size} for e in row.evidence]


class NominationOutput(serializers.Serializer):
    id = serializers.IntegerField(source="nomination.pk")
    round_id = serializers.IntegerField(source="round.pk")
    studio_id = serializers.IntegerField(source="nomination.studio_id")
    studio = serializers.CharField(source="nomination.studio.name")
    status = serializers.CharField(source="nomination.status")
    total = serializers.SerializerMethodField()
    assessment = StandardOutput(many=True, source="rows", help_text="Empty for who may not read it.")
    figures_snapshotted = serializers.BooleanField()
    can_edit = serializers.BooleanField()
    can_score = serializers.BooleanField()
    can_object = serializers.BooleanField()
    expert_scores = serializers.SerializerMethodField(help_text="The round's admin, once scoring is closed.")

    def get_total(self, viewed) -> str | None:
        total = viewed.nomination.total
        return str(total) if viewed.show_total and total is not None else None

    def get_expert_scores(self, viewed) -> list[dict] | None:
        if viewed.expert_scores is None:
            return None
        return [
            {
                "expert_id": entry["expert"].pk,
                "scores": {
                    s: (None if v is None else str(v))
                    for s, v in zip(Standard.values, entry["values"], strict=True)
                },
            }
            for entry in viewed.expert_scores
        ]


class RoundNominationsApi(APIView):
    @extend_schema(request=NominateInput, responses={201: NominationOutput})
    def post(self, request, pk: int):
        viewed = selectors.round_for(request.user, pk)
        payload = NominateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        studio = studio_for_viewer(request.user, payload.validated_data["studio_id"])
        nomination = services.nomination_create(
            actor=request.user,
            round=viewed.round,
            studio=studio,
            statement=payload.validated_data["statement"],
            ip_address=client_ip(request),
        )
        return Response(
            NominationOutput(selectors.nomination_for(request.user, nomination.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class NominationDetailApi(APIView):
    @extend_schema(responses=NominationOutput)
    def get(self, request, pk: int):
        return Response(NominationOutput(selectors.nomination_for(request.user, pk)).data)


class AssessmentInput(serializers.Serializer):
    texts = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=8000))
    submit = serializers.BooleanField(default=False)


class NominationAssessmentApi(APIView):
    @extend_schema(request=AssessmentInput, responses=NominationOutput)
    def put(self, request, pk: int):
        nomination = selectors.nomination_for_action(request.user, pk)
        payload = AssessmentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.assessment_save(
            actor=request.user, nomination=nomination, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(NominationOutput(selectors.nomination_for(request.user, pk)).data)


class ScoresInput(serializers.Serializer):
    scores = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))


class NominationScoresApi(APIView):
    @extend_schema(request=ScoresInput, responses=NominationOutput)
    def put(self, request, pk: int):
        nomination = selectors.nomination_for_action(request.user, pk)
        payload = ScoresInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.score_save(
            actor=request.user,
            nomination=nomination,
            scores=payload.validated_data["scores"],
            ip_address=client_ip(request),
        )
        return Response(NominationOutput(selectors.nomination_for(request.user, pk)).data)


class ObjectionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ObjectionOutput(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "nomination_id", "reason", "status", "answer", "lodged_at", "answered_at"]


class NominationObjectionsApi(APIView):
    @extend_schema(request=ObjectionInput, responses={201: ObjectionOutput})
    def post(self, request, pk: int):
        nomination = selectors.nomination_for_action(request.user, pk)
        payload = ObjectionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        objection = services.objection_lodge(
            actor=request.user,
            nomination=nomination,
            reason=payload.validated_data["reason"],
            ip_address=client_ip(request),
        )
        return Response(ObjectionOutput(objection).data, status=status.HTTP_201_CREATED)


class RoundActionApi(APIView):
    """start_scoring, close_scoring, confer: the round admin's steps without a body."""

    @extend_schema(
        operation_id="v1_naming_rounds_action",
        request=None,
        responses=RoundDetailOutput,
        parameters=[
            OpenApiParameter(
                "action", str, OpenApiParameter.PATH, enum=["start_scoring", "close_scoring", "confer"]
            )
        ],
    )
    def post(self, request, pk: int, action: str):
        round = selectors.round_for(request.user, pk).round
        steps = {
            "start_scoring": services.scoring_start,
            "close_scoring": services.scoring_close,
            "confer": services.titles_confer,
        }
        if action not in steps:
            raise NotFound
        steps[action](actor=request.user, round=round, ip_address=client_ip(request))
        return Response(_round_detail(selectors.round_for(request.user, pk)))


class TitleOutput(serializers.ModelSerializer):
    round_title = serializers.CharField(source="round.title")

    class Meta:
        model = StudioTitle
        fields = [
            "id",
            "level",
            "year",
            "round_id",
            "round_title",
            "conferred_at",
            "revoked_at",
            "revoked_reason",
        ]


class AssessmentRowOutput(serializers.Serializer):
    nomination_id = serializers.IntegerField(source="nomination.pk")
    round_id = serializers.IntegerField(source="round.pk")
    round_title = serializers.CharField(source="round.title")
    kind = serializers.CharField(source="round.kind")
    year = serializers.IntegerField(source="round.year")
    status = serializers.CharField(source="nomination.status")


class StudioTitlesOutput(serializers.Serializer):
    titles = TitleOutput(many=True)
    assessments = AssessmentRowOutput(many=True)


class StudioTitlesApi(APIView):
    @extend_schema(responses=StudioTitlesOutput)
    def get(self, request, pk: int):
        studio = studio_for_viewer(request.user, pk)
        history = selectors.studio_title_history(request.user, studio)
        return Response(
            StudioTitlesOutput({"titles": history.titles, "assessments": history.assessments}).data
        )
