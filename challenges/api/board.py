"""The board, challenge details, lifecycle actions and the public Q&A."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip
from platform_core.orgs.models import Unit

from .. import selectors
from .. import serializers as s
from ..models import Challenge
from ..services import challenges, qa
from .common import (
    challenge_detail,
    datetime_param,
    decimal_param,
    get_or_404,
    id_param,
    parse,
    visible_challenge,
    visible_question,
)

BOARD_PARAMETERS = [
    OpenApiParameter("state", str, enum=Challenge.State.values),
    OpenApiParameter("field", str),
    OpenApiParameter("unit", int),
    OpenApiParameter("reward_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("reward_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("deadline_after", OpenApiTypes.DATETIME),
    OpenApiParameter("deadline_before", OpenApiTypes.DATETIME),
    OpenApiParameter("q", str, description="substring of the title or statement"),
    OpenApiParameter("sort", str, enum=list(selectors.BOARD_SORTS)),
]


class ChallengeListApi(GenericAPIView):
    serializer_class = s.ChallengeListOutput

    def get_permissions(self):
        # The board is public (visitors browse challenges); posting needs a login.
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(parameters=BOARD_PARAMETERS, responses=s.ChallengeListOutput(many=True))
    def get(self, request):
        params = request.query_params
        board = selectors.board(
            request.user,
            state=params.get("state", ""),
            field=params.get("field", "")[:30],
            unit_id=id_param(params.get("unit"), "unit"),
            reward_min=decimal_param(params.get("reward_min"), "reward_min"),
            reward_max=decimal_param(params.get("reward_max"), "reward_max"),
            deadline_after=datetime_param(params.get("deadline_after"), "deadline_after"),
            deadline_before=datetime_param(params.get("deadline_before"), "deadline_before"),
            query=params.get("q", "")[:100],
            sort=params.get("sort", "deadline"),
        )
        page = self.paginate_queryset(board)
        return self.get_paginated_response(s.ChallengeListOutput(page, many=True).data)

    @extend_schema(request=s.ChallengeCreateInput, responses={201: s.ChallengeDetailOutput})
    def post(self, request):
        payload = parse(s.ChallengeCreateInput, request)
        data = payload.to_service()
        unit = get_or_404(Unit.objects, data.pop("unit_id"))
        challenge = challenges.challenge_create(
            actor=request.user, unit=unit, ip_address=client_ip(request), **data
        )
        return Response(challenge_detail(request, challenge.pk), status=status.HTTP_201_CREATED)


class ChallengeDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.ChallengeDetailOutput)
    def get(self, request, pk: int):
        return Response(challenge_detail(request, pk))

    @extend_schema(request=s.ChallengeInput, responses=s.ChallengeDetailOutput)
    def patch(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.ChallengeInput, request, partial=True)
        challenges.challenge_update(
            actor=request.user, challenge=challenge, ip_address=client_ip(request), **payload.to_service()
        )
        return Response(challenge_detail(request, pk))


class ChallengeActionApi(APIView):
    @extend_schema(
        request=s.TransitionInput,
        responses=s.ChallengeDetailOutput,
        description="submit, approve, return, start_review, start_work, deliver, accept, send_back, "
        "withdraw, fail (docs/challenges.md has who may do which, from which state).",
    )
    def post(self, request, pk: int, action: str):
        challenge = visible_challenge(request, pk)
        payload = parse(s.TransitionInput, request)
        challenges.challenge_transition(
            actor=request.user,
            challenge=challenge,
            action=action,
            text=payload.validated_data["text"],
            ip_address=client_ip(request),
        )
        return Response(challenge_detail(request, pk))


class QuestionsApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.QuestionOutput(many=True))
    def get(self, request, pk: int):
        return Response(
            s.QuestionOutput(selectors.questions_for(visible_challenge(request, pk)), many=True).data
        )

    @extend_schema(request=s.QuestionInput, responses={201: s.QuestionOutput})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.QuestionInput, request)
        question = qa.question_ask(
            actor=request.user,
            challenge=challenge,
            body=payload.validated_data["body"],
            ip_address=client_ip(request),
        )
        return Response(s.QuestionOutput(question).data, status=status.HTTP_201_CREATED)


class QuestionAnswerApi(APIView):
    @extend_schema(request=s.AnswerInput, responses=s.QuestionOutput)
    def post(self, request, pk: int):
        question = visible_question(request, pk)
        payload = parse(s.AnswerInput, request)
        question = qa.question_answer(
            actor=request.user,
            question=question,
            answer=payload.validated_data["answer"],
            ip_address=client_ip(request),
        )
        return Response(s.QuestionOutput(question).data)
