"""The challenge pages after the award: milestones with their evidence, the poster's review and
reward releases, progress reports, and the mid-term review of a race (赛马制).

What each viewer may see and do comes from challenges.selectors and the flags of
challenges.permissions (`milestone_flags`, `may_report_progress`, `may_set_midterm_point`,
`may_hold_midterm_review`); the template reads those flags. A refused form comes back in place,
in its milestone's section, with what was typed (forms_flow.form_for)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import permissions, selectors
from challenges.models import Challenge, Milestone
from challenges.services import milestones, reviews
from platform_core.http import client_ip

from ..challenge_forms import (
    EvidenceForm,
    MidtermPointForm,
    MilestoneReviewForm,
    ProgressReportForm,
    ReleaseForm,
)
from .challenge_lookups import posted_ids, posted_texts_by_id, visible_challenge
from .forms_flow import form_for, perform, submit


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


def _auto_id(kind: str, pk: int) -> str:
    """One id per field and row: the page holds one form of each kind per milestone (or bid)."""
    return f"{kind}-{pk}-%s"


def _milestone_row(request, milestone: Milestone, flags: permissions.MilestoneFlags) -> dict:
    """One milestone with the viewer's flags and the forms those flags offer (the refused one
    bound with what was typed, when this rendering shows it again)."""
    pk = milestone.pk

    def offered(allowed: bool, form_class, kind: str, url_name: str):
        if not allowed:
            return None
        url = reverse(f"challenges:{url_name}", args=[pk])
        return form_for(request, form_class, auto_id=_auto_id(kind, pk), posted_to=url)

    return {
        "milestone": milestone,
        "evidence": flags.sees_evidence,
        "sees_evidence": flags.sees_evidence,
        "may_hand_in": flags.may_hand_in,
        "may_review": flags.may_review,
        "may_release": flags.may_release,
        "files": milestone.attachments.all() if flags.sees_evidence else [],
        "evidence_form": offered(flags.may_hand_in, EvidenceForm, "evidence", "milestone_submit"),
        "review_form": offered(flags.may_review, MilestoneReviewForm, "review", "milestone_review"),
        "release_form": offered(flags.may_release, ReleaseForm, "release", "milestone_release"),
    }


@login_required
def milestones_page(request, pk: int):
    challenge = visible_challenge(request.user, pk)
    state = selectors.state_of(challenge)
    poster = permissions.can_award(request.user, challenge)  # asked once for every row
    rows = []
    for milestone, evidence in selectors.milestones_for(request.user, challenge):
        flags = permissions.milestone_flags(
            request.user, milestone, challenge=challenge, state=state, sees_evidence=evidence, poster=poster
        )
        rows.append(_milestone_row(request, milestone, flags))
    progress = []
    for bid in selectors.work_bids_for(request.user, challenge, state=state):
        may_report = permissions.may_report_progress(request.user, bid, state=state)
        form = None
        if may_report:
            form = form_for(
                request,
                ProgressReportForm,
                auto_id=_auto_id("report", bid.pk),
                posted_to=reverse("challenges:progress_report", args=[bid.pk]),
            )
        progress.append({"bid": bid, "may_report": may_report, "form": form})
    may_set_point = permissions.may_set_midterm_point(request.user, challenge, state)
    may_hold_midterm = permissions.may_hold_midterm_review(request.user, challenge, state)
    return render(
        request,
        "frontend/challenges/milestones.html",
        {
            "challenge": challenge,
            "state": state,
            "progress": progress,
            "rows": rows,
            "racing": challenge.award_mode == Challenge.AwardMode.RACING,
            "may_set_midterm_point": may_set_point,
            "may_hold_midterm": may_hold_midterm,
            "midterm_form": form_for(request, MidtermPointForm) if may_set_point else None,
        },
    )


@login_required
@require_POST
def milestone_submit(request, pk: int):
    milestone = _milestone(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES, auto_id=_auto_id("evidence", pk))

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

    form = MilestoneReviewForm(request.POST, auto_id=_auto_id("review", pk))
    return submit(request, form, act, then=_milestones_url(milestone))


@login_required
@require_POST
def milestone_release(request, pk: int):
    milestone = _milestone(request.user, pk)

    def act(data: dict) -> str:
        milestones.milestone_release_reward(
            actor=request.user, milestone=milestone, amount=data["amount"], ip_address=client_ip(request)
        )
        return _("The reward release has been recorded.")

    form = ReleaseForm(request.POST, auto_id=_auto_id("release", pk))
    return submit(request, form, act, then=_milestones_url(milestone))


@login_required
@require_POST
def midterm_point(request, pk: int):
    challenge = visible_challenge(request.user, pk)

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
    challenge = visible_challenge(request.user, pk)
    continuing = posted_ids(request, "continue")
    ended = posted_texts_by_id(request, "end_")

    def act() -> str:
        reviews.challenge_midterm_review(
            actor=request.user,
            challenge=challenge,
            continuing=selectors.bids_among(challenge, continuing),
            ended=ended,
            ip_address=client_ip(request),
        )
        return _("The mid-term review has been recorded; the teams have been told.")

    return perform(request, act, then=reverse("challenges:milestones", args=[pk]))
