"""The challenge pages after bidding: the expert's review workspace, the poster's review and award
page, milestones and the mid-term review of a race; and problem collection and triage. Included in
the `challenges` URL namespace by challenges.py."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import permissions, selectors
from challenges.models import Bid, Challenge, Milestone, Problem, Score
from challenges.services import attachments, milestones, problems, reviews
from platform_core.http import client_ip
from platform_core.orgs.models import Unit

from ..challenge_forms import (
    AwardForm,
    ClarificationForm,
    EvidenceForm,
    ExpertForm,
    MergeForm,
    MidtermPointForm,
    MilestoneReviewForm,
    ProblemForm,
    ProgressReportForm,
    ReasonForm,
    ReleaseForm,
    ScoreForm,
)
from .forms_flow import perform, submit


def _challenge(user, pk: int) -> Challenge:
    try:
        return selectors.challenge_for(user, pk)
    except Challenge.DoesNotExist:
        raise Http404 from None


def _review_url(challenge: Challenge) -> str:
    return reverse("challenges:review", args=[challenge.pk])


def _workspace(user, challenge: Challenge, stage: str) -> dict:
    try:
        return selectors.review_workspace(user, challenge, state=selectors.state_of(challenge), stage=stage)
    except Challenge.DoesNotExist:
        raise Http404 from None


@login_required
def review(request, pk: int):
    """Experts score here; the poster side sees the ranking, progress and the award form."""
    challenge = _challenge(request.user, pk)
    stage = Score.Stage.MIDTERM if request.GET.get("stage") == "midterm" else Score.Stage.BID
    workspace = _workspace(request.user, challenge, stage)
    # The workspace exists only for whom the bids are open (permissions.bids_open_for): their files show.
    prefetch_related_objects(workspace["bids"], "attachments")
    state = selectors.state_of(challenge)
    mine = {(score.bid_id, score.criterion_id): score for score in workspace["my_scores"]}
    assignment = permissions.active_assignment(request.user, challenge)
    scoring = assignment is not None and permissions.can_review(request.user, challenge, state)
    rows = []
    for bid in workspace["bids"]:
        initial = {}
        for criterion in workspace["criteria"]:
            score = mine.get((bid.pk, criterion.pk))
            if score is not None:
                initial[f"value_{criterion.pk}"] = score.value
                initial[f"comment_{criterion.pk}"] = score.comment
        form = ScoreForm(criteria=workspace["criteria"], initial=initial, prefix=f"bid{bid.pk}")
        pairs = [(c, form[f"value_{c.pk}"], form[f"comment_{c.pk}"]) for c in workspace["criteria"]]
        rows.append({"bid": bid, "form": form if scoring else None, "pairs": pairs})
    return render(
        request,
        "frontend/challenges/review.html",
        {
            "challenge": challenge,
            "state": state,
            "workspace": workspace,
            "rows": rows,
            "scoring": scoring,
            "may_award": permissions.can_award(request.user, challenge)
            and state == Challenge.State.UNDER_REVIEW,
            "may_assign": permissions.can_assign_experts(request.user, challenge),
            "clarifications": _clarifications(workspace) if workspace["poster_side"] else {},
            "expert_form": ExpertForm(),
            "conflict_form": ReasonForm(),
            "clarification_form": ClarificationForm(),
            "award_form": AwardForm(),
        },
    )


def _clarifications(workspace) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for bid in workspace["bids"]:
        grouped[bid.pk] = list(bid.clarifications.all())
    return grouped


def _bid_of(user, bid_id: int) -> Bid:
    try:
        return selectors.bid_for(user, bid_id)[0]
    except Bid.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def score(request, pk: int, bid_id: int):
    challenge = _challenge(request.user, pk)
    bid = _bid_of(request.user, bid_id)
    stage = Score.Stage.MIDTERM if request.POST.get("stage") == "midterm" else Score.Stage.BID
    form = ScoreForm(request.POST, criteria=challenge.criteria.all(), prefix=f"bid{bid.pk}")

    def act(data: dict) -> str:
        reviews.score_submit(
            actor=request.user, bid=bid, scores=form.scores(), stage=stage, ip_address=client_ip(request)
        )
        return _("Your scores of bid #%(id)d have been saved.") % {"id": bid.pk}

    then = (
        _review_url(challenge) + ("?stage=midterm" if stage == Score.Stage.MIDTERM else "") + f"#bid-{bid.pk}"
    )
    return submit(request, form, act, then=then)


@login_required
@require_POST
def declare_conflict(request, pk: int):
    challenge = _challenge(request.user, pk)

    def act(data: dict) -> str:
        reviews.expert_declare_conflict(
            actor=request.user, challenge=challenge, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("Your conflict of interest is recorded; you no longer review this challenge.")

    return submit(request, ReasonForm(request.POST), act, then=reverse("challenges:detail", args=[pk]))


@login_required
@require_POST
def assign_expert(request, pk: int):
    challenge = _challenge(request.user, pk)

    def act(data: dict) -> str:
        expert = get_user_model().objects.filter(username=data["username"]).first()
        if expert is None:
            return _raise(_("No account has this username."))
        reviews.expert_assign(
            actor=request.user, challenge=challenge, expert=expert, ip_address=client_ip(request)
        )
        return _("%(name)s has been assigned.") % {"name": expert}

    return submit(request, ExpertForm(request.POST), act, then=_review_url(challenge))


def _raise(message: str) -> str:
    """Refuse like a service would: forms_flow shows the message."""
    raise ValidationError(message)


@login_required
@require_POST
def shortlist(request, pk: int, bid_id: int):
    bid = _bid_of(request.user, bid_id)

    def act() -> str:
        reviews.bid_shortlist(
            actor=request.user,
            bid=bid,
            shortlisted=request.POST.get("on") == "1",
            ip_address=client_ip(request),
        )
        return _("The shortlist has been updated.")

    return perform(request, act, then=_review_url(bid.challenge) + f"#bid-{bid.pk}")


@login_required
@require_POST
def clarify(request, pk: int, bid_id: int):
    bid = _bid_of(request.user, bid_id)

    def act(data: dict) -> str:
        reviews.clarification_ask(
            actor=request.user, bid=bid, question=data["question"], ip_address=client_ip(request)
        )
        return _("The question has been sent to the bidder.")

    return submit(
        request, ClarificationForm(request.POST), act, then=_review_url(bid.challenge) + f"#bid-{bid.pk}"
    )


@login_required
@require_POST
def award(request, pk: int):
    challenge = _challenge(request.user, pk)
    winner_ids = {int(value) for value in request.POST.getlist("winners") if value.isdigit()}
    feedback = {
        int(key.removeprefix("feedback_")): value
        for key, value in request.POST.items()
        if key.startswith("feedback_") and key.removeprefix("feedback_").isdigit() and value.strip()
    }

    def act(data: dict) -> str:
        reviews.challenge_award(
            actor=request.user,
            challenge=challenge,
            winners=list(Bid.objects.filter(pk__in=winner_ids, challenge=challenge)),
            rationale=data["rationale"],
            feedback=feedback,
            ip_address=client_ip(request),
        )
        return _("The challenge has been awarded; every bidder has been told.")

    return submit(request, AwardForm(request.POST), act, then=_review_url(challenge))


def _milestone(user, pk: int) -> Milestone:
    milestone = (
        Milestone.objects.select_related("challenge", "bid__studio", "bid__team").filter(pk=pk).first()
    )
    if milestone is None or not permissions.can_see_milestone_evidence(user, milestone):
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


@login_required
def problem_list(request):
    units = Unit.objects.order_by("name")
    form = ProblemForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": request.user.unit_id}
    )
    if request.method == "POST":

        def act(data: dict) -> str:
            problem = problems.problem_submit(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                ip_address=client_ip(request),
            )
            if data.get("file"):
                attachments.attachment_add(
                    actor=request.user, upload=data["file"], problem=problem, ip_address=client_ip(request)
                )
            return _("Thank you: your problem has been submitted to the unit's posters.")

        return submit(request, form, act, then=reverse("challenges:problems"))
    listed = selectors.problems_visible_to(request.user)
    page = Paginator(listed, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/challenges/problems.html",
        {
            "form": form,
            "page": page,
            "triage": {p.pk for p in page if permissions.can_triage_problem(request.user, p)},
            "merge_form": MergeForm(),
            "reason_form": ReasonForm(),
        },
    )


def _problem(user, pk: int) -> Problem:
    problem = selectors.problems_visible_to(user).filter(pk=pk).first()
    if problem is None:
        raise Http404
    return problem


@login_required
@require_POST
def problem_merge(request, pk: int):
    problem = _problem(request.user, pk)

    def act(data: dict) -> str:
        into = _problem(request.user, data["into"])
        problems.problem_merge(actor=request.user, problem=problem, into=into, ip_address=client_ip(request))
        return _("The problem has been merged.")

    return submit(request, MergeForm(request.POST), act, then=reverse("challenges:problems"))


@login_required
@require_POST
def problem_reject(request, pk: int):
    problem = _problem(request.user, pk)

    def act(data: dict) -> str:
        problems.problem_reject(
            actor=request.user, problem=problem, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("The problem has been rejected; the submitter has been told why.")

    return submit(request, ReasonForm(request.POST), act, then=reverse("challenges:problems"))


@login_required
@require_POST
def problem_draft(request):
    """Turn the ticked problems into a challenge draft (dates and contact prefilled), then edit it."""
    chosen = [
        _problem(request.user, int(value)) for value in request.POST.getlist("problems") if value.isdigit()
    ]
    if not chosen:
        return perform(
            request, lambda: _raise(_("Choose at least one problem.")), then=reverse("challenges:problems")
        )
    if not all(permissions.can_triage_problem(request.user, p) for p in chosen):
        raise PermissionDenied(_("Only union admins and posters of the problem's unit triage it."))
    now = timezone.now()
    drafted: list[Challenge] = []  # the new draft, to open its edit page

    def act() -> str:
        drafted.append(
            problems.challenge_draft_from_problems(
                actor=request.user,
                problems=chosen,
                ip_address=client_ip(request),
                title=chosen[0].title,
                statement="\n\n".join(p.description for p in chosen),
                bidding_deadline=now + datetime.timedelta(days=30),
                expected_delivery=(now + datetime.timedelta(days=120)).date(),
                contact_name=str(request.user)[:60],
            )
        )
        return _("A challenge draft has been made from the problems; complete it and submit it for approval.")

    response = perform(request, act, then=reverse("challenges:problems"))
    return redirect("challenges:edit", pk=drafted[0].pk) if drafted else response


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
