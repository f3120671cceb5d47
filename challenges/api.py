"""/api/v1/ for challenges. Thin: parse, call one service (writes) or a selector (reads), serialise.

Objects a user may not see answer 404, never 403, so a probe cannot learn that a bid or an
invitation-only challenge exists.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, HttpResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances.models import Team
from platform_core.http import client_ip
from platform_core.orgs.models import Studio, Unit

from . import permissions, selectors
from . import serializers as s
from .export import workbook_bytes
from .lifecycle import Action
from .models import Attachment, Bid, Challenge, Clarification, Milestone, Problem, Question
from .services import attachments, bids, challenges, milestones, problems, qa, reviews


def _get(queryset, pk: int):
    """Like get_object_or_404, with the one generic "not found" every hidden object also answers."""
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist:
        raise NotFound from None


def _challenge(request, pk: int) -> Challenge:
    try:
        return selectors.challenge_for(request.user, pk)
    except Challenge.DoesNotExist:
        raise NotFound from None


def _bid(request, pk: int) -> tuple[Bid, str]:
    try:
        return selectors.bid_for(request.user, pk)
    except Bid.DoesNotExist:
        raise NotFound from None


def _detail(request, pk: int) -> dict:
    challenge = _challenge(request, pk)
    challenge.bid_count = selectors.bid_count_for(request.user, challenge)  # type: ignore[attr-defined]
    challenge.allowed_actions = [  # type: ignore[attr-defined]
        action.value
        for action in permissions.allowed_actions(request.user, challenge, selectors.state_of(challenge))
    ]
    challenge.bid_options = (  # type: ignore[attr-defined]
        selectors.bid_options(request.user, challenge) if selectors.state_of(challenge) == "published" else []
    )
    return s.ChallengeDetailOutput(challenge).data


def _parse(serializer_class, request, **kwargs):
    payload = serializer_class(data=request.data, **kwargs)
    payload.is_valid(raise_exception=True)
    return payload


def _decimal_param(value: str | None):
    if not value:
        return None
    field = serializers.DecimalField(max_digits=12, decimal_places=2)
    return field.run_validation(value)


def _datetime_param(value: str | None, name: str):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise serializers.ValidationError({name: _("Use an ISO 8601 date and time.")})
    return parsed


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
        unit = params.get("unit", "")
        board = selectors.board(
            request.user,
            state=params.get("state", ""),
            field=params.get("field", "")[:30],
            unit_id=int(unit) if unit.isdigit() else None,
            reward_min=_decimal_param(params.get("reward_min")),
            reward_max=_decimal_param(params.get("reward_max")),
            deadline_after=_datetime_param(params.get("deadline_after"), "deadline_after"),
            deadline_before=_datetime_param(params.get("deadline_before"), "deadline_before"),
            query=params.get("q", "")[:100],
            sort=params.get("sort", "deadline"),
        )
        page = self.paginate_queryset(board)
        return self.get_paginated_response(s.ChallengeListOutput(page, many=True).data)

    @extend_schema(request=s.ChallengeCreateInput, responses={201: s.ChallengeDetailOutput})
    def post(self, request):
        payload = _parse(s.ChallengeCreateInput, request)
        data = payload.to_service()
        unit = _get(Unit.objects, data.pop("unit_id"))
        challenge = challenges.challenge_create(
            actor=request.user, unit=unit, ip_address=client_ip(request), **data
        )
        return Response(_detail(request, challenge.pk), status=status.HTTP_201_CREATED)


class ChallengeDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.ChallengeDetailOutput)
    def get(self, request, pk: int):
        return Response(_detail(request, pk))

    @extend_schema(request=s.ChallengeInput, responses=s.ChallengeDetailOutput)
    def patch(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.ChallengeInput, request, partial=True)
        challenges.challenge_update(
            actor=request.user, challenge=challenge, ip_address=client_ip(request), **payload.to_service()
        )
        return Response(_detail(request, pk))


class ChallengeActionApi(APIView):
    @extend_schema(
        request=s.TransitionInput,
        responses=s.ChallengeDetailOutput,
        description="submit, approve, return, start_review, start_work, deliver, accept, send_back, "
        "withdraw, fail (docs/challenges.md has who may do which, from which state).",
    )
    def post(self, request, pk: int, action: str):
        challenge = _challenge(request, pk)
        payload = _parse(s.TransitionInput, request)
        challenges.challenge_transition(
            actor=request.user,
            challenge=challenge,
            action=action,
            text=payload.validated_data["text"],
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))


class ChallengeBidsApi(APIView):
    @extend_schema(responses=s.BidOutput(many=True))
    def get(self, request, pk: int):
        challenge = _challenge(request, pk)
        visible = selectors.bids_for(request.user, challenge, state=selectors.state_of(challenge))
        return Response(s.BidOutput(visible, many=True).data)

    @extend_schema(request=s.BidCreateInput, responses={201: s.BidOutput})
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        data = dict(_parse(s.BidCreateInput, request).validated_data)
        studio_id, team_id = data.pop("studio_id", None), data.pop("team_id", None)
        studio = _get(Studio.objects, studio_id) if studio_id else None
        team = _get(Team.objects, team_id) if team_id else None
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
        return Response(s.BidOutput(_bid(request, pk)[0]).data)

    @extend_schema(request=s.BidInput, responses=s.BidOutput)
    def patch(self, request, pk: int):
        bid, _state = _bid(request, pk)
        payload = _parse(s.BidInput, request, partial=True)
        bid = bids.bid_update(
            actor=request.user, bid=bid, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(s.BidOutput(bid).data)


class BidWithdrawApi(APIView):
    @extend_schema(request=None, responses=s.BidOutput)
    def post(self, request, pk: int):
        bid, _state = _bid(request, pk)
        return Response(
            s.BidOutput(bids.bid_withdraw(actor=request.user, bid=bid, ip_address=client_ip(request))).data
        )


class ExpertsApi(APIView):
    @extend_schema(request=s.ExpertAssignInput, responses={201: None})
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.ExpertAssignInput, request)
        expert = _get(get_user_model().objects, payload.validated_data["expert_id"])
        reviews.expert_assign(
            actor=request.user, challenge=challenge, expert=expert, ip_address=client_ip(request)
        )
        return Response(status=status.HTTP_201_CREATED)


class ConflictApi(APIView):
    @extend_schema(request=s.ReasonInput, responses={204: None})
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.ReasonInput, request)
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
        challenge = _challenge(request, pk)
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
        _challenge(request, pk)
        payload = _parse(s.ScoresInput, request).validated_data
        bid, _state = _bid(request, payload["bid_id"])
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
        bid, _state = _bid(request, pk)
        payload = _parse(s.ShortlistInput, request)
        bid = reviews.bid_shortlist(
            actor=request.user,
            bid=bid,
            shortlisted=payload.validated_data["shortlisted"],
            ip_address=client_ip(request),
        )
        return Response(s.BidOutput(bid).data)


class ClarificationsApi(APIView):
    @extend_schema(responses=s.ClarificationOutput(many=True))
    def get(self, request, pk: int):
        bid, _state = _bid(request, pk)
        return Response(s.ClarificationOutput(bid.clarifications.all(), many=True).data)

    @extend_schema(request=s.QuestionInput, responses={201: s.ClarificationOutput})
    def post(self, request, pk: int):
        bid, _state = _bid(request, pk)
        payload = _parse(s.QuestionInput, request)
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
        clarification = _get(Clarification.objects, pk)
        _bid(request, clarification.bid_id)
        payload = _parse(s.AnswerInput, request)
        clarification = reviews.clarification_answer(
            actor=request.user,
            clarification=clarification,
            answer=payload.validated_data["answer"],
            ip_address=client_ip(request),
        )
        return Response(s.ClarificationOutput(clarification).data)


def _challenge_bids(challenge: Challenge, ids) -> list[Bid]:
    found = list(Bid.objects.filter(challenge=challenge, pk__in=list(ids)))
    if len(found) != len(set(ids)):
        raise serializers.ValidationError({"winners": _("Choose among this challenge's active bids.")})
    return found


class AwardApi(APIView):
    @extend_schema(request=s.AwardInput, responses=s.ChallengeDetailOutput)
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.AwardInput, request).validated_data
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
            winners=_challenge_bids(challenge, payload["winners"]),
            rationale=payload["rationale"],
            feedback={int(key): text for key, text in payload["feedback"].items() if str(key).isdigit()},
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))


class MidtermApi(APIView):
    @extend_schema(request=s.MidtermInput, responses=s.ChallengeDetailOutput)
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.MidtermInput, request).validated_data
        if not permissions.can_award(request.user, challenge):
            raise PermissionDenied(_("Only the poster may hold the mid-term review."))
        reviews.challenge_midterm_review(
            actor=request.user,
            challenge=challenge,
            continuing=_challenge_bids(challenge, payload["continuing"]),
            ended={int(key): text for key, text in payload["ended"].items() if str(key).isdigit()},
            ip_address=client_ip(request),
        )
        return Response(_detail(request, pk))


class MidtermPointApi(APIView):
    @extend_schema(request=s.MidtermPointInput, responses={204: None})
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.MidtermPointInput, request)
        reviews.challenge_set_midterm(
            actor=request.user,
            challenge=challenge,
            position=payload.validated_data["position"],
            ip_address=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MilestonesApi(APIView):
    def get_permissions(self):
        return [AllowAny()]

    @extend_schema(responses=s.MilestoneOutput(many=True))
    def get(self, request, pk: int):
        challenge = _challenge(request, pk)
        rows = []
        for milestone in selectors.milestones_for(request.user, challenge):
            milestone.challenge = challenge
            full = selectors.can_see_milestone_details(request.user, milestone)
            rows.append((s.MilestoneDetailOutput if full else s.MilestoneOutput)(milestone).data)
        return Response(rows)


def _milestone(request, pk: int) -> Milestone:
    milestone = _get(Milestone.objects.select_related("bid", "challenge"), pk)
    _challenge(request, milestone.challenge_id)
    return milestone


def _milestone_output(request, milestone: Milestone) -> dict:
    row = selectors.milestones_for(request.user, milestone.challenge).get(pk=milestone.pk)
    return s.MilestoneDetailOutput(row).data


class MilestoneSubmitApi(APIView):
    @extend_schema(request=s.EvidenceInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        payload = _parse(s.EvidenceInput, request)
        milestone = milestones.milestone_submit(
            actor=request.user,
            milestone=milestone,
            evidence_note=payload.validated_data["evidence_note"],
            ip_address=client_ip(request),
        )
        return Response(_milestone_output(request, milestone))


class MilestoneReviewApi(APIView):
    @extend_schema(request=s.MilestoneReviewInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        payload = _parse(s.MilestoneReviewInput, request).validated_data
        milestone = milestones.milestone_review(
            actor=request.user,
            milestone=milestone,
            accept=payload["accept"],
            comments=payload["comments"],
            ip_address=client_ip(request),
        )
        return Response(_milestone_output(request, milestone))


class MilestoneReleaseApi(APIView):
    @extend_schema(request=s.ReleaseInput, responses=s.MilestoneDetailOutput)
    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        payload = _parse(s.ReleaseInput, request)
        milestone = milestones.milestone_release_reward(
            actor=request.user,
            milestone=milestone,
            amount=payload.validated_data["amount"],
            ip_address=client_ip(request),
        )
        return Response(_milestone_output(request, milestone))


class ProgressReportApi(APIView):
    @extend_schema(request=s.ReportInput, responses={201: None})
    def post(self, request, pk: int):
        bid, _state = _bid(request, pk)
        payload = _parse(s.ReportInput, request)
        milestones.progress_report_add(
            actor=request.user, bid=bid, body=payload.validated_data["body"], ip_address=client_ip(request)
        )
        return Response(status=status.HTTP_201_CREATED)


class QuestionsApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.QuestionOutput(many=True))
    def get(self, request, pk: int):
        return Response(s.QuestionOutput(selectors.questions_for(_challenge(request, pk)), many=True).data)

    @extend_schema(request=s.QuestionInput, responses={201: s.QuestionOutput})
    def post(self, request, pk: int):
        challenge = _challenge(request, pk)
        payload = _parse(s.QuestionInput, request)
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
        question = _get(Question.objects, pk)
        _challenge(request, question.challenge_id)
        payload = _parse(s.AnswerInput, request)
        question = qa.question_answer(
            actor=request.user,
            question=question,
            answer=payload.validated_data["answer"],
            ip_address=client_ip(request),
        )
        return Response(s.QuestionOutput(question).data)


class ExportApi(APIView):
    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    def get(self, request, pk: int):
        challenge = _challenge(request, pk)
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


class ProblemsApi(GenericAPIView):
    serializer_class = s.ProblemOutput

    @extend_schema(responses=s.ProblemOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.problems_visible_to(request.user))
        return self.get_paginated_response(s.ProblemOutput(page, many=True).data)

    @extend_schema(request=s.ProblemInput, responses={201: s.ProblemOutput})
    def post(self, request):
        data = dict(_parse(s.ProblemInput, request).validated_data)
        unit = _get(Unit.objects, data.pop("unit_id"))
        problem = problems.problem_submit(
            actor=request.user, unit=unit, ip_address=client_ip(request), **data
        )
        return Response(s.ProblemOutput(problem).data, status=status.HTTP_201_CREATED)


def _problem(request, pk: int) -> Problem:
    problem = _get(Problem.objects.select_related("unit"), pk)
    if not permissions.can_see_problem(request.user, problem):
        raise NotFound
    return problem


class ProblemMergeApi(APIView):
    @extend_schema(request=s.MergeInput, responses=s.ProblemOutput)
    def post(self, request, pk: int):
        problem = _problem(request, pk)
        into = _problem(request, _parse(s.MergeInput, request).validated_data["into_id"])
        problem = problems.problem_merge(
            actor=request.user, problem=problem, into=into, ip_address=client_ip(request)
        )
        return Response(s.ProblemOutput(problem).data)


class ProblemRejectApi(APIView):
    @extend_schema(request=s.ReasonInput, responses=s.ProblemOutput)
    def post(self, request, pk: int):
        problem = _problem(request, pk)
        reason = _parse(s.ReasonInput, request).validated_data["reason"]
        problem = problems.problem_reject(
            actor=request.user, problem=problem, reason=reason, ip_address=client_ip(request)
        )
        return Response(s.ProblemOutput(problem).data)


class ProblemDraftApi(APIView):
    @extend_schema(request=s.DraftFromProblemsInput, responses={201: s.ChallengeDetailOutput})
    def post(self, request):
        payload = _parse(s.DraftFromProblemsInput, request)
        data = payload.to_service()
        chosen = [_problem(request, pk) for pk in dict.fromkeys(data.pop("problem_ids"))]
        challenge = problems.challenge_draft_from_problems(
            actor=request.user, problems=chosen, ip_address=client_ip(request), **data
        )
        return Response(_detail(request, challenge.pk), status=status.HTTP_201_CREATED)


class AttachmentUploadApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.AttachmentInput}, responses={201: s.AttachmentOutput})
    def post(self, request, kind: str, pk: int):
        owner: dict = {}
        if kind == "problems":
            owner["problem"] = _problem(request, pk)
        elif kind == "challenges":
            owner["challenge"] = _challenge(request, pk)
        elif kind == "bids":
            owner["bid"] = _bid(request, pk)[0]
        else:
            owner["milestone"] = _milestone(request, pk)
        upload = _parse(s.AttachmentInput, request).validated_data["file"]
        attachment = attachments.attachment_add(
            actor=request.user, upload=upload, ip_address=client_ip(request), **owner
        )
        return Response(s.AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadApi(APIView):
    """The only way to read an attachment: access is checked on every download."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        attachment = _get(
            Attachment.objects.select_related(
                "problem__unit", "challenge__unit", "bid__challenge__unit", "milestone__challenge__unit"
            ),
            pk,
        )
        owner = attachment.bid or attachment.milestone
        challenge_id = attachment.challenge_id or (owner.challenge_id if owner is not None else None)
        state = selectors.effective_state_by_pk(challenge_id) if challenge_id else ""
        if not permissions.can_download_attachment(request.user, attachment, state=state):
            raise NotFound
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
        response["Cache-Control"] = "private, no-store"
        return response
