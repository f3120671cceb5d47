"""Expert review, award, the race's mid-term, the Excel export."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
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
from ..models import Challenge
from ..services import reviews
from .common import challenge_bids, challenge_detail, get_or_404, parse, visible_bid, visible_challenge


class ExpertsApi(APIView):
    @extend_schema(request=s.ExpertAssignInput, responses={201: None})
    def post(self, request, pk: int):
        challenge = visible_challenge(request, pk)
        payload = parse(s.ExpertAssignInput, request)
        expert = get_or_404(get_user_model().objects, payload.validated_data["expert_id"])
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
            winners=challenge_bids(challenge, payload["winners"]),
            rationale=payload["rationale"],
            feedback={int(key): text for key, text in payload["feedback"].items() if str(key).isdigit()},
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
        if not permissions.can_award(request.user, challenge):
            raise PermissionDenied(_("Only the poster may hold the mid-term review."))
        reviews.challenge_midterm_review(
            actor=request.user,
            challenge=challenge,
            continuing=challenge_bids(challenge, payload["continuing"]),
            ended={int(key): text for key, text in payload["ended"].items() if str(key).isdigit()},
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
