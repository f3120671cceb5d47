"""Lookups shared by the API views: hidden objects answer the same 404 as missing ones."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from .. import selectors
from .. import serializers as s
from ..models import Bid, Challenge, Clarification, Milestone, Problem, Question


def get_or_404(queryset, pk: int):
    """Like get_object_or_404, with the one generic "not found" every hidden object also answers."""
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist:
        raise NotFound from None


def visible_challenge(request, pk: int) -> Challenge:
    try:
        return selectors.challenge_for(request.user, pk)
    except Challenge.DoesNotExist:
        raise NotFound from None


def visible_bid(request, pk: int) -> tuple[Bid, str]:
    try:
        return selectors.bid_for(request.user, pk)
    except Bid.DoesNotExist:
        raise NotFound from None


def challenge_detail(request, pk: int) -> dict:
    challenge = visible_challenge(request, pk)  # fields this viewer may not read come blanked
    access = selectors.access_of(challenge)
    challenge.bid_count = selectors.bid_count_for(request.user, challenge)  # type: ignore[attr-defined]
    challenge.allowed_actions = [action.value for action in access.actions]  # type: ignore[attr-defined]
    challenge.bid_options = (  # type: ignore[attr-defined]
        selectors.bid_options(request.user, challenge) if selectors.state_of(challenge) == "published" else []
    )
    return s.ChallengeDetailOutput(challenge).data


def parse(serializer_class, request, **kwargs):
    payload = serializer_class(data=request.data, **kwargs)
    payload.is_valid(raise_exception=True)
    return payload


def _param(field: serializers.Field, value, name: str):
    """A query parameter or key parsed by a serializer field: bad input is a 400 naming `name`.
    One strict parser for every number, id and date a client sends outside a body serializer
    ("²".isdigit() is true, and "2024-02-30" matches the ISO pattern, yet neither parses)."""
    try:
        return field.run_validation(value)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from None


def decimal_param(value: str | None, name: str):
    if not value:
        return None
    return _param(serializers.DecimalField(max_digits=12, decimal_places=2), value, name)


def datetime_param(value: str | None, name: str):
    if not value:
        return None
    return _param(serializers.DateTimeField(), value, name)


def id_param(value: str | None, name: str) -> int | None:
    if not value:
        return None
    return _param(s.id_field(), value, name)


def by_bid_id(texts: dict, name: str) -> dict[int, str]:
    """A JSON object keyed by bid id (award feedback, mid-term reasons), keys parsed strictly."""
    return {_param(s.id_field(), key, name): text for key, text in texts.items()}


def visible_milestone(request, pk: int) -> Milestone:
    try:
        return selectors.milestone_for(request.user, pk)
    except Milestone.DoesNotExist:
        raise NotFound from None


def milestone_output(milestone: Milestone) -> dict:
    """A milestone after its team or the poster changed it (both may read its evidence)."""
    row = selectors.milestones_queryset(milestone.challenge).get(pk=milestone.pk)
    return s.MilestoneDetailOutput(row).data


def visible_problem(request, pk: int) -> Problem:
    try:
        return selectors.problem_for(request.user, pk)
    except Problem.DoesNotExist:
        raise NotFound from None


def challenge_bids(challenge: Challenge, ids, *, status: str, name: str) -> list[Bid]:
    """The bids `ids` of `challenge` in `status`. Callers refuse the actor and the state first, so
    the answer says nothing about which bids exist to whom may not see them."""
    found = list(Bid.objects.filter(challenge=challenge, status=status, pk__in=list(ids)))
    if len(found) != len(set(ids)):
        raise serializers.ValidationError({name: _("Choose among this challenge's active bids.")})
    return found


def visible_question(request, pk: int) -> Question:
    try:
        return selectors.question_for(request.user, pk)
    except Question.DoesNotExist:
        raise NotFound from None


def visible_clarifications(request, bid_pk: int):
    try:
        return selectors.clarifications_for(request.user, bid_pk)
    except Bid.DoesNotExist:
        raise NotFound from None


def visible_clarification(request, pk: int) -> Clarification:
    try:
        return selectors.clarification_for(request.user, pk)
    except Clarification.DoesNotExist:
        raise NotFound from None
