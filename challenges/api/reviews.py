"""Expert review, award, the race's mid-term, the Excel export."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from .. import permissions, selectors
from .. import serializers as s
from ..export import workbook_bytes
from ..lifecycle import Action
from ..models import Bid, Challenge
from ..services import reviews
from .common import (
    by_bid_id,
    challenge_bids,
    challenge_detail,
    parse,
    visible_bid,
    visible_challenge,
)


class ExpertsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="words of a name, username or unit"),
            OpenApiParameter("committee", str, enum=["advisory", "technical"]),
        ],
        responses=s.ExpertSuggestionOutput(many=True),
        description="Experts the poster side may assign (suggestions; conflicted ones left out "
        "once the bids are open).",
    )
    def get(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        params = request.query_params
        suggestions = selectors.expert_suggestions(
            request.user, challenge, query=params.get("q", ""), committee=params.get("committee", "")[:20]
        )
        return Response(s.ExpertSuggestionOutput(suggestions, many=True).data)

    @extend_schema(request=s.ExpertAssignInput, responses={201: None})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.ExpertAssignInput, request)
        # No 404 for an unknown id: the service refuses the actor first, then answers an unknown
        # user and a non-expert alike, so the endpoint is no oracle of account ids.
        expert = get_user_model().objects.filter(pk=payload.validated_data["expert_id"]).first()
        reviews.expert_assign(
            actor=request.user, challenge=challenge, expert=expert, ip_address=client_ip(request)
        )
        return Response(status=status.HTTP_201_CREATED)


class ConflictApi(APIView):
    @extend_schema(request=s.ReasonInput, responses={204: None})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.ReasonInput, request)
        reviews.expert_declare_conflict(
            actor=request.user,
            challenge=challenge,
            reason=payload.validated_data["reason"],
            ip_address=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewApi(APIView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT, parameters=[OpenApiParameter("stage", str, enum=["bid", "midterm"])]
    )
    def get(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        stage = request.query_params.get("stage", "bid")
        try:
            workspace = selectors.review_workspace(
                request.user,
                challenge,
                state=selectors.state_of(challenge),
                stage=stage if stage in ("bid", "midterm") else "bid",
            )
        except Challenge.DoesNotExist:
            raise NotFound from None
        body: dict = {
            "stage": workspace["stage"],
            "criteria": s.CriterionOutput(workspace["criteria"], many=True).data,
            "bids": s.BidOutput(workspace["bids"], many=True).data,
            "my_scores": [
                {"bid_id": x.bid_id, "criterion": x.criterion_id, "value": str(x.value), "comment": x.comment}
                for x in workspace["my_scores"]
            ],
        }
        if workspace["poster_side"]:
            body["ranking"] = [
                {
                    "bid_id": row.bid.pk,
                    "bidder": str(row.bid.bidder),
                    # Decimals as strings, as the serializers render them.
                    "criterion_means": {
                        str(key): None if value is None else str(value)
                        for key, value in row.criterion_means.items()
                    },
                    "total": None if row.total is None else str(row.total),
                    "rank": row.rank,
                    "shortlisted": row.bid.shortlisted,
                }
                for row in workspace["ranking"]
            ]
            body["progress"] = [
                {
                    "expert_id": p.assignment.expert_id,
                    "expert": str(p.assignment.expert),
                    "recused": p.assignment.recused,
                    "recusal_reason": p.assignment.recusal_reason,
                    "scored": p.scored,
                    "expected": p.expected,
                    "status": p.status,
                }
                for p in workspace["progress"]
            ]
        return Response(body)


class ScoresApi(APIView):
    @extend_schema(request=s.ScoresInput, responses={204: None})
    def post(self, request, pk: int):
        visible_challenge(request, pk)
        payload = parse(s.ScoresInput, request).validated_data
        bid, _state = visible_bid(request, payload["bid_id"])
        if bid.challenge_id != pk:
            raise NotFound
        reviews.score_submit(
            actor=request.user,
            bid=bid,
            scores=[dict(row) for row in payload["scores"]],
            stage=payload["stage"],
            ip_address=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShortlistApi(APIView):
    @extend_schema(request=s.ShortlistInput, responses=s.BidOutput)
    def post(self, request, pk: int):
        bid, _state = visible_bid(request, pk)
        payload = parse(s.ShortlistInput, request)
        bid = reviews.bid_shortlist(
            actor=request.user,
            bid=bid,
            shortlisted=payload.validated_data["shortlisted"],
            ip_address=client_ip(request),
        )
        return Response(s.BidOutput(bid).data)


class AwardApi(APIView):
    @extend_schema(request=s.AwardInput, responses=s.ChallengeDetailOutput)
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.AwardInput, request).validated_data
        # Refused before the ids are looked at: a refusal says nothing about which bids exist.
        refusal = permissions.transition_refusal(
            request.user,
            challenge,
            selectors.state_of(challenge),
            Action.AWARD,  # type: ignore[attr-defined]
        )
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        reviews.challenge_award(
            actor=request.user,
            challenge=challenge,
            winners=challenge_bids(
                challenge, payload["winners"], status=Bid.Status.SUBMITTED, name="winners"
            ),
            rationale=payload["rationale"],
            feedback=by_bid_id(payload["feedback"], "feedback"),
            ip_address=client_ip(request),
        )
        return Response(challenge_detail(request, pk))


class MidtermPointApi(APIView):
    @extend_schema(request=s.MidtermPointInput, responses={204: None})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.MidtermPointInput, request)
        reviews.challenge_set_midterm(
            actor=request.user,
            challenge=challenge,
            position=payload.validated_data["position"],
            ip_address=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MidtermApi(APIView):
    @extend_schema(request=s.MidtermInput, responses=s.ChallengeDetailOutput)
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.MidtermInput, request).validated_data
        # Refused before the ids are looked at, like the award.
        refusal = permissions.midterm_review_refusal(request.user, challenge, selectors.state_of(challenge))
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        reviews.challenge_midterm_review(
            actor=request.user,
            challenge=challenge,
            continuing=challenge_bids(
                challenge, payload["continuing"], status=Bid.Status.WON, name="continuing"
            ),
            ended=by_bid_id(payload["ended"], "ended"),
            ip_address=client_ip(request),
        )
        return Response(challenge_detail(request, pk))


class ExportApi(APIView):
    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    def get(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        try:
            sheets = selectors.export_rows(request.user, challenge, state=selectors.state_of(challenge))
        except Challenge.DoesNotExist:
            raise NotFound from None
        response = HttpResponse(
            workbook_bytes(sheets),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="challenge-{challenge.pk}-bids.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
