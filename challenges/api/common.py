"""Lookups shared by the API views: hidden objects answer the same 404 as missing ones."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from .. import permissions, selectors
from .. import serializers as s
from ..models import Bid, Challenge, Milestone, Problem


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
    challenge = visible_challenge(request, pk)
    challenge.bid_count = selectors.bid_count_for(request.user, challenge)  # type: ignore[attr-defined]
    challenge.allowed_actions = [  # type: ignore[attr-defined]
        action.value
        for action in permissions.allowed_actions(request.user, challenge, selectors.state_of(challenge))
    ]
    challenge.bid_options = (  # type: ignore[attr-defined]
        selectors.bid_options(request.user, challenge) if selectors.state_of(challenge) == "published" else []
    )
    return s.ChallengeDetailOutput(challenge).data


def parse(serializer_class, request, **kwargs):
    payload = serializer_class(data=request.data, **kwargs)
    payload.is_valid(raise_exception=True)
    return payload


def decimal_param(value: str | None):
    if not value:
        return None
    field = serializers.DecimalField(max_digits=12, decimal_places=2)
    return field.run_validation(value)


def datetime_param(value: str | None, name: str):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise serializers.ValidationError({name: _("Use an ISO 8601 date and time.")})
    return parsed


def visible_milestone(request, pk: int) -> Milestone:
    milestone = get_or_404(Milestone.objects.select_related("bid", "challenge"), pk)
    visible_challenge(request, milestone.challenge_id)
    return milestone


def milestone_output(milestone: Milestone) -> dict:
    """A milestone after its team or the poster changed it (both may read its evidence)."""
    row = selectors.milestones_queryset(milestone.challenge).get(pk=milestone.pk)
    return s.MilestoneDetailOutput(row).data


def visible_problem(request, pk: int) -> Problem:
    problem = get_or_404(Problem.objects.select_related("unit"), pk)
    if not permissions.can_see_problem(request.user, problem):
        raise NotFound
    return problem


def challenge_bids(challenge: Challenge, ids) -> list[Bid]:
    found = list(Bid.objects.filter(challenge=challenge, pk__in=list(ids)))
    if len(found) != len(set(ids)):
        raise serializers.ValidationError({"winners": _("Choose among this challenge's active bids.")})
    return found
