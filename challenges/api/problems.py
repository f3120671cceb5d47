"""Problem collection and triage."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip
from platform_core.orgs.models import Unit

from .. import selectors
from .. import serializers as s
from ..services import problems
from .common import challenge_detail, get_or_404, parse, visible_problem


class ProblemsApi(GenericAPIView):
    serializer_class = s.ProblemOutput

    @extend_schema(responses=s.ProblemOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.problems_visible_to(request.user))
        return self.get_paginated_response(s.ProblemOutput(page, many=True).data)

    @extend_schema(request=s.ProblemInput, responses={201: s.ProblemOutput})
    def post(self, request):
        data = dict(parse(s.ProblemInput, request).validated_data)
        unit = get_or_404(Unit.objects, data.pop("unit_id"))
        problem = problems.problem_submit(
            actor=request.user, unit=unit, ip_address=client_ip(request), **data
        )
        return Response(s.ProblemOutput(problem).data, status=status.HTTP_201_CREATED)


class ProblemMergeApi(APIView):
    @extend_schema(request=s.MergeInput, responses=s.ProblemOutput)
    def post(self, request, pk: int):
        problem = visible_problem(request, pk)
        into = visible_problem(request, parse(s.MergeInput, request).validated_data["into_id"])
        problem = problems.problem_merge(
            actor=request.user, problem=problem, into=into, ip_address=client_ip(request)
        )
        return Response(s.ProblemOutput(problem).data)


class ProblemRejectApi(APIView):
    @extend_schema(request=s.ReasonInput, responses=s.ProblemOutput)
    def post(self, request, pk: int):
        problem = visible_problem(request, pk)
        reason = parse(s.ReasonInput, request).validated_data["reason"]
        problem = problems.problem_reject(
            actor=request.user, problem=problem, reason=reason, ip_address=client_ip(request)
        )
        return Response(s.ProblemOutput(problem).data)


class ProblemDraftApi(APIView):
    @extend_schema(request=s.DraftFromProblemsInput, responses={201: s.ChallengeDetailOutput})
    def post(self, request):
        payload = parse(s.DraftFromProblemsInput, request)
        data = payload.to_service()
        chosen = [visible_problem(request, pk) for pk in dict.fromkeys(data.pop("problem_ids"))]
        challenge = problems.challenge_draft_from_problems(
            actor=request.user, problems=chosen, ip_address=client_ip(request), **data
        )
        return Response(challenge_detail(request, challenge.pk), status=status.HTTP_201_CREATED)
