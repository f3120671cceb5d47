"""Sealed bids, clarifications and progress reports."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.owners import owner_from_ids
from platform_core.http import client_ip

from .. import selectors
from .. import serializers as s
from ..services import bids, milestones, reviews
from .common import (
    parse,
    visible_bid,
    visible_challenge,
    visible_clarification,
    visible_clarifications,
)


class ChallengeBidsApi(APIView):
    @extend_schema(responses=s.BidOutput(many=True))
    def get(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        visible = selectors.bids_for(request.user, challenge, state=selectors.state_of(challenge))
        return Response(s.BidOutput(visible, many=True).data)

    @extend_schema(request=s.BidCreateInput, responses={201: s.BidOutput})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        data = dict(parse(s.BidCreateInput, request).validated_data)
        studio, team = owner_from_ids(data.pop("studio_id", None), data.pop("team_id", None))
        bid = bids.bid_submit(
            actor=request.user,
            challenge=challenge,
            studio=studio,
            team=team,
            ip_address=client_ip(request),
            **data,
        )
        return Response(s.BidOutput(bid).data, status=status.HTTP_201_CREATED)


class BidDetailApi(APIView):
    @extend_schema(responses=s.BidOutput)
    def get(self, request, pk: int):
        return Response(s.BidOutput(visible_bid(request, pk)[0]).data)

    @extend_schema(request=s.BidInput, responses=s.BidOutput)
    def patch(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        payload = parse(s.BidInput, request, partial=True)
        bid = bids.bid_update(
            actor=request.user, bid=bid, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.BidOutput(bid).data)


class BidWithdrawApi(APIView):
    @extend_schema(request=None, responses=s.BidOutput)
    def post(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        return Response(
            s.BidOutput(bids.bid_withdraw(actor=request.user, bid=bid, ip_address=client_ip(request))).data
        )


class ClarificationsApi(APIView):
    @extend_schema(responses=s.ClarificationOutput(many=True))
    def get(self, request, pk: int):
        return Response(s.ClarificationOutput(visible_clarifications(request, pk), many=True).data)

    @extend_schema(request=s.QuestionInput, responses={201: s.ClarificationOutput})
    def post(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        payload = parse(s.QuestionInput, request)
        clarification = reviews.clarification_ask(
            actor=request.user,
            bid=bid,
            question=payload.validated_data["body"],
            ip_address=client_ip(request),
        )
        return Response(s.ClarificationOutput(clarification).data, status=status.HTTP_201_CREATED)


class ClarificationAnswerApi(APIView):
    @extend_schema(request=s.AnswerInput, responses=s.ClarificationOutput)
    def post(self, request, pk: int):
        clarification = visible_clarification(request, pk)
        payload = parse(s.AnswerInput, request)
        clarification = reviews.clarification_answer(
            actor=request.user,
            clarification=clarification,
            answer=payload.validated_data["answer"],
            ip_address=client_ip(request),
        )
        return Response(s.ClarificationOutput(clarification).data)


class ProgressReportApi(APIView):
    @extend_schema(responses=s.ProgressReportOutput(many=True))
    def get(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        reports = bid.progress_reports.select_related("author").order_by("-created_at", "-id")
        return Response(s.ProgressReportOutput(reports, many=True).data)

    @extend_schema(request=s.ReportInput, responses={201: s.ProgressReportOutput})
    def post(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        payload = parse(s.ReportInput, request)
        report = milestones.progress_report_add(
            actor=request.user, bid=bid, body=payload.validated_data["body"], ip_address=client_ip(request)
        )
        return Response(s.ProgressReportOutput(report).data, status=status.HTTP_201_CREATED)
