"""Expert assignment on the review page. One answer with the API: a username that names no
account and one that names a non-expert are refused alike by the service, after the actor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.services import reviews
from platform_core.accounts import selectors as accounts
from platform_core.http import client_ip

from ..challenge_forms import ExpertForm
from .challenge_lookups import review_url, visible_challenge
from .forms_flow import submit


@login_required
@require_POST
def assign_expert(request, pk: int):
    challenge = visible_challenge(request.user, pk)

    def act(data: dict) -> str:
        # None for an unknown username: the service refuses it like any non-expert, so the page
        # is no oracle of usernames (the API does the same with ids).
        expert = accounts.active_user_by_username(data["username"])
        reviews.expert_assign(
            actor=request.user, challenge=challenge, expert=expert, ip_address=client_ip(request)
        )
        return _("%(name)s has been assigned.") % {"name": expert}

    return submit(request, ExpertForm(request.POST), act, then=review_url(pk))
