"""Milestones after the award."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from .. import selectors
from .. import serializers as s
from ..services import milestones
from .common import milestone_output, parse, visible_challenge, visible_milestone


class MilestonesApi(APIView):
    def get_permissions(self):
        return [AllowAny()]

    @extend_schema(responses=s.MilestoneOutput(many=True))
    def get(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        return Response(
            [
                (s.MilestoneDetailOutput if full else s.MilestoneOutput)(milestone).data
                for milestone, full in selectors.milestones_for(request.user, challenge)
            ]
        )


class MilestoneSubmitApi(APIView):
    @extend_schema(request=s.EvidenceInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = visible_milestone(request, pk)
        payload = parse(s.EvidenceInput, request)
        milestone = milestones.milestone_submit(
            actor=request.user,
            milestone=milestone,
            evidence_note=payload.validated_data["evidence_note"],
            ip_address=client_ip(request),
        )
        return Response(milestone_output(milestone))


class MilestoneReviewApi(APIView):
    @extend_schema(request=s.MilestoneReviewInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = visible_milestone(request, pk)
        payload = parse(s.MilestoneReviewInput, request).validated_data
        milestone = milestones.milestone_review(
            actor=request.user,
            milestone=milestone,
            accept=payload["accept"],
            comments=payload["comments"],
            ip_address=client_ip(request),
        )
        return Response(milestone_output(milestone))


class MilestoneReleaseApi(APIView):
    @extend_schema(request=s.ReleaseInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = visible_milestone(request, pk)
        payload = parse(s.ReleaseInput, request)
        milestone = milestones.milestone_release_reward(
            actor=request.user,
            milestone=milestone,
            amount=payload.validated_data["amount"],
            ip_address=client_ip(request),
        )
        return Response(milestone_output(milestone))
