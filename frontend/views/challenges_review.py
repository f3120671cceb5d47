"""The challenge pages after the award: milestones, progress and the mid-term review of a race.
The other pages after bidding live by concern (review_workspace, review_experts, review_award,
problems); their URLs are gathered here, in the `challenges` URL namespace, by challenges.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import permissions, selectors
from challenges.models import Bid, Challenge, Milestone
from challenges.services import milestones, reviews
from platform_core.http import client_ip

from ..challenge_forms import (
    EvidenceForm,
    MidtermPointForm,
    MilestoneReviewForm,
    ProgressReportForm,
    ReasonForm,
    ReleaseForm,
)
from .forms_flow import perform, submit
from .problems import problem_draft, problem_list, problem_merge, problem_reject
from .review_award import award
from .review_experts import assign_expert
from .review_workspace import clarify, declare_conflict, review, score, shortlist


def _challenge(user, pk: int) -> Challenge:
    try:
        return selectors.challenge_for(user, pk)
    except Challenge.DoesNotExist:
        raise Http404 from None


def _milestone(user, pk: int) -> Milestone:
    """Through the selector the API uses. The page's milestone forms answer 404 to whom the
    evidence is hidden (the flag is permissions.can_see_milestone_evidence, set by the selector)."""
    try:
        milestone = selectors.milestone_for(user, pk)
    except Milestone.DoesNotExist:
        raise Http404 from None
    if not milestone.evidence_visible:  # type: ignore[attr-defined]
        raise Http404
    return milestone


def _milestones_url(milestone: Milestone) -> str:
    return reverse("challenges:milestones", args=[milestone.challenge_id]) + f"#milestone-{milestone.pk}"


@login_required
def milestones_page(request, pk: int):
    challenge = _challenge(request.user, pk)
    rows = selectors.milestones_for(request.user, challenge)
    state = selectors.state_of(challenge)
    working = [
        bid
        for bid in challenge.bids.filter(status__in=(Bid.Status.WON, Bid.Status.ELIMINATED))
        .select_related("studio__leader", "team__lead", "challenge")
        .prefetch_related("progress_reports")
        .order_by("pk")
        if permissions.can_see_bid(request.user, bid, state=state)
    ]
    return render(
        request,
        "frontend/challenges/milestones.html",
        {
            "challenge": challenge,
            "state": state,
            "progress": [
                {"bid": bid, "may_report": permissions.may_report_progress(request.user, bid, state=state)}
                for bid in working
            ],
            "progress_form": ProgressReportForm(),
            "rows": [
                {
                    "milestone": m,
                    "evidence": evidence,
                    "may_hand_in": permissions.may_hand_in_evidence(request.user, m, state=state),
                    "files": m.attachments.all() if evidence else [],
                }
                for m, evidence in rows
            ],
            "poster_side": permissions.can_award(request.user, challenge),
            "racing": challenge.award_mode == Challenge.AwardMode.RACING,
            "may_hold_midterm": permissions.may_hold_midterm_review(request.user, challenge, state),
            "evidence_form": EvidenceForm(),
            "review_form": MilestoneReviewForm(),
            "release_form": ReleaseForm(),
            "midterm_form": MidtermPointForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def milestone_submit(request, pk: int):
    milestone = _milestone(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)

    def act(data: dict) -> str:
        milestones.milestone_submit(
            actor=request.user,
            milestone=milestone,
            evidence_note=data["evidence_note"],
            uploads=[data["file"]] if data.get("file") else [],
            ip_address=client_ip(request),
        )
        return _("The evidence has been handed in.")

    return submit(request, form, act, then=_milestones_url(milestone))


@login_required
@require_POST
def milestone_review(request, pk: int):
    milestone = _milestone(request.user, pk)

    def act(data: dict) -> str:
        milestones.milestone_review(
            actor=request.user,
            milestone=milestone,
            accept=data["accept"],
            comments=data["comments"],
            ip_address=client_ip(request),
        )
        return (
            _("The milestone has been accepted.")
            if data["accept"]
            else _("The milestone has been sent back.")
        )

    return submit(request, MilestoneReviewForm(request.POST), act, then=_milestones_url(milestone))


@login_required
@require_POST
def milestone_release(request, pk: int):
    milestone = _milestone(request.user, pk)

    def act(data: dict) -> str:
        milestones.milestone_release_reward(
            actor=request.user, milestone=milestone, amount=data["amount"], ip_address=client_ip(request)
        )
        return _("The reward release has been recorded.")

    return submit(request, ReleaseForm(request.POST), act, then=_milestones_url(milestone))


@login_required
@require_POST
def midterm_point(request, pk: int):
    challenge = _challenge(request.user, pk)

    def act(data: dict) -> str:
        reviews.challenge_set_midterm(
            actor=request.user, challenge=challenge, position=data["position"], ip_address=client_ip(request)
        )
        return _("The mid-term review point has been set.")

    return submit(
        request, MidtermPointForm(request.POST), act, then=reverse("challenges:milestones", args=[pk])
    )


@login_required
@require_POST
def midterm_review(request, pk: int):
    challenge = _challenge(request.user, pk)
    continuing = [int(value) for value in request.POST.getlist("continue") if value.isdigit()]
    ended = {
        int(key.removeprefix("end_")): value
        for key, value in request.POST.items()
        if key.startswith("end_") and key.removeprefix("end_").isdigit() and value.strip()
    }

    def act() -> str:
        reviews.challenge_midterm_review(
            actor=request.user,
            challenge=challenge,
            continuing=list(Bid.objects.filter(pk__in=continuing, challenge=challenge)),
            ended=ended,
            ip_address=client_ip(request),
        )
        return _("The mid-term review has been recorded; the teams have been told.")

    return perform(request, act, then=reverse("challenges:milestones", args=[pk]))


urlpatterns = [
    path("challenges/<int:pk>/review/", review, name="review"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/score/", score, name="score"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/shortlist/", shortlist, name="shortlist"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/clarify/", clarify, name="clarify"),
    path("challenges/<int:pk>/review/experts/", assign_expert, name="assign_expert"),
    path("challenges/<int:pk>/review/conflict/", declare_conflict, name="conflict"),
    path("challenges/<int:pk>/award/", award, name="award"),
    path("challenges/<int:pk>/milestones/", milestones_page, name="milestones"),
    path("challenges/<int:pk>/milestones/midterm-point/", midterm_point, name="midterm_point"),
    path("challenges/<int:pk>/milestones/midterm-review/", midterm_review, name="midterm_review"),
    path("milestones/<int:pk>/submit/", milestone_submit, name="milestone_submit"),
    path("milestones/<int:pk>/review/", milestone_review, name="milestone_review"),
    path("milestones/<int:pk>/release/", milestone_release, name="milestone_release"),
    path("problems/", problem_list, name="problems"),
    path("problems/draft/", problem_draft, name="problem_draft"),
    path("problems/<int:pk>/merge/", problem_merge, name="problem_merge"),
    path("problems/<int:pk>/reject/", problem_reject, name="problem_reject"),
]
