"""The award (挂帅): the poster ticks the winning bids on the review page and gives the rationale."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import selectors
from challenges.services import reviews
from platform_core.http import client_ip

from ..challenge_forms import AwardForm
from .challenge_lookups import posted_ids, posted_texts_by_id, review_url, visible_challenge
from .forms_flow import submit


@login_required
@require_POST
def award(request, pk: int):
    challenge = visible_challenge(request.user, pk)
    winner_ids = posted_ids(request, "winners")
    feedback = posted_texts_by_id(request, "feedback_")

    def act(data: dict) -> str:
        reviews.challenge_award(
            actor=request.user,
            challenge=challenge,
            winners=selectors.bids_among(challenge, winner_ids),
            rationale=data["rationale"],
            feedback=feedback,
            ip_address=client_ip(request),
        )
        return _("The challenge has been awarded; every bidder has been told.")

    return submit(request, AwardForm(request.POST), act, then=review_url(pk))
