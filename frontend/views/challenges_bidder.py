"""The challenge pages' smaller steps around a bid: the bidder answers the poster's clarifying
questions and reports progress; the poster attaches files to a draft (a bidder attaches them on
the bid form, challenges.py). Included in the `challenges` URL namespace by challenges.py; every
write goes through the same service as the API, which checks who may do it and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import selectors
from challenges.models import Bid, Challenge, Clarification
from challenges.services import attachments, milestones, reviews
from platform_core.http import client_ip

from ..challenge_forms import AttachmentForm, ClarificationAnswerForm, ProgressReportForm
from .forms_flow import object_form, submit


def _own_bid(user, pk: int) -> Bid:
    """One of the user's own studios' or teams' bids, or 404 (others' bids are sealed)."""
    bid = selectors.my_bids(user).filter(pk=pk).first()
    if bid is None:
        raise Http404
    return bid


def _own_clarification(user, pk: int) -> Clarification:
    """Through the selector the API uses; the service lets only the bidder's lead answer."""
    try:
        return selectors.clarification_for(user, pk)
    except Clarification.DoesNotExist:
        raise Http404 from None


def _my_bids_url(clarification: Clarification) -> str:
    return reverse("challenges:my_bids") + f"#bid-{clarification.bid_id}"


@object_form(ClarificationAnswerForm, fetch=_own_clarification, then=_my_bids_url)
def clarification_answer(request, clarification: Clarification, data: dict) -> str:
    reviews.clarification_answer(
        actor=request.user, clarification=clarification, answer=data["answer"], ip_address=client_ip(request)
    )
    return _("Your answer has been sent to the poster.")


def _progress_url(bid: Bid) -> str:
    return reverse("challenges:milestones", args=[bid.challenge_id]) + f"#progress-{bid.pk}"


@object_form(ProgressReportForm, fetch=_own_bid, then=_progress_url)
def progress_report(request, bid: Bid, data: dict) -> str:
    milestones.progress_report_add(
        actor=request.user, bid=bid, body=data["body"], ip_address=client_ip(request)
    )
    return _("Your progress report has been sent to the poster.")


@login_required
@require_POST
def challenge_attachment(request, pk: int):
    try:
        challenge = selectors.challenge_for(request.user, pk)
    except Challenge.DoesNotExist:
        raise Http404 from None

    def act(data: dict) -> str:
        attachments.attachment_add(
            actor=request.user, upload=data["file"], challenge=challenge, ip_address=client_ip(request)
        )
        return _("The file has been attached to the challenge.")

    then = reverse("challenges:detail", args=[challenge.pk]) + "#files"
    return submit(request, AttachmentForm(request.POST, request.FILES), act, then=then)


urlpatterns = [
    path("bids/clarifications/<int:pk>/answer/", clarification_answer, name="clarification_answer"),
    path("bids/<int:pk>/progress/", progress_report, name="progress_report"),
    path("challenges/<int:pk>/attachments/", challenge_attachment, name="challenge_attachment"),
]
