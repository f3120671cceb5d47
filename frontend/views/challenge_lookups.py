"""How the challenge pages fetch one object: through the same selector the API uses, a hidden
object answering 404 like a missing one (Zulip's access_* habit)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from challenges import selectors
from challenges.models import Bid, Challenge, Problem


def visible_challenge(user, pk: int) -> Challenge:
    """The challenge with its effective state, the fields this viewer may not read blanked, and
    the viewer's flags (`selectors.access_of`)."""
    try:
        return selectors.challenge_for(user, pk)
    except Challenge.DoesNotExist:
        raise Http404 from None


def visible_bid(user, pk: int) -> Bid:
    try:
        return selectors.bid_for(user, pk)[0]
    except Bid.DoesNotExist:
        raise Http404 from None


def visible_problem(user, pk: int) -> Problem:
    try:
        return selectors.problem_for(user, pk)
    except Problem.DoesNotExist:
        raise Http404 from None


def review_url(challenge_id: int) -> str:
    return reverse("challenges:review", args=[challenge_id])


def posted_ids(request, name: str) -> set[int]:
    """The ids a form posted under `name` (ticked boxes); anything not a number is ignored."""
    return {int(value) for value in request.POST.getlist(name) if value.isdigit()}


def posted_texts_by_id(request, prefix: str) -> dict[int, str]:
    """The non-blank texts a form posted as `<prefix><id>` fields (one per row), by id."""
    return {
        int(key.removeprefix(prefix)): value
        for key, value in request.POST.items()
        if key.startswith(prefix) and key.removeprefix(prefix).isdigit() and value.strip()
    }
