"""The review workspace: experts score the bids, the poster side follows the ranking and each
expert's progress, shortlists and asks the bidders clarifying questions. What each viewer may
see and do comes from challenges.selectors and the flags of permissions.ChallengeAccess."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import selectors
from challenges.models import Challenge, Score
from challenges.services import reviews
from platform_core.http import client_ip

from ..challenge_forms import AwardForm, ClarificationForm, ExpertForm, ReasonForm, ScoreForm
from .challenge_lookups import review_url, visible_bid, visible_challenge
from .forms_flow import perform, submit


def _stage(value: str | None) -> str:
    return Score.Stage.MIDTERM if value == "midterm" else Score.Stage.BID


def _score_rows(workspace: dict, scoring: bool) -> list[dict]:
    """Each bid with the viewer's own score form, filled with what they scored before."""
    mine = {(score.bid_id, score.criterion_id): score for score in workspace["my_scores"]}
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
    return rows


def _expert_form(pk: int) -> ExpertForm:
    """Suggests experts by committee and field as one types, conflicted ones left out once the
    bids are open (challenges.selectors.expert_suggestions, through the API)."""
    form = ExpertForm()
    form.fields["username"].widget.attrs["data-people-source"] = reverse("api-challenge-experts", args=[pk])
    return form


@login_required
def review(request, pk: int):
    """Experts score here; the poster side sees the ranking, progress and the award form."""
    challenge = visible_challenge(request.user, pk)
    access = selectors.access_of(challenge)
    try:
        workspace = selectors.review_page(request.user, challenge, stage=_stage(request.GET.get("stage")))
    except Challenge.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "frontend/challenges/review.html",
        {
            "challenge": challenge,
            "access": access,
            "state": access.state,
            "workspace": workspace,
            "rows": _score_rows(workspace, access.scoring),
            "expert_form": _expert_form(pk),
            "conflict_form": ReasonForm(),
            "clarification_form": ClarificationForm(),
            "award_form": AwardForm(),
        },
    )


@login_required
@require_POST
def score(request, pk: int, bid_id: int):
    challenge = visible_challenge(request.user, pk)
    bid = visible_bid(request.user, bid_id)
    stage = _stage(request.POST.get("stage"))
    form = ScoreForm(request.POST, criteria=selectors.criteria_of(challenge), prefix=f"bid{bid.pk}")

    def act(data: dict) -> str:
        reviews.score_submit(
            actor=request.user, bid=bid, scores=form.scores(), stage=stage, ip_address=client_ip(request)
        )
        return _("Your scores of bid #%(id)d have been saved.") % {"id": bid.pk}

    then = review_url(pk) + ("?stage=midterm" if stage == Score.Stage.MIDTERM else "") + f"#bid-{bid.pk}"
    return submit(request, form, act, then=then)


@login_required
@require_POST
def declare_conflict(request, pk: int):
    challenge = visible_challenge(request.user, pk)

    def act(data: dict) -> str:
        reviews.expert_declare_conflict(
            actor=request.user, challenge=challenge, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("Your conflict of interest is recorded; you no longer review this challenge.")

    return submit(request, ReasonForm(request.POST), act, then=reverse("challenges:detail", args=[pk]))


@login_required
@require_POST
def shortlist(request, pk: int, bid_id: int):
    bid = visible_bid(request.user, bid_id)

    def act() -> str:
        reviews.bid_shortlist(
            actor=request.user,
            bid=bid,
            shortlisted=request.POST.get("on") == "1",
            ip_address=client_ip(request),
        )
        return _("The shortlist has been updated.")

    return perform(request, act, then=review_url(bid.challenge_id) + f"#bid-{bid.pk}")


@login_required
@require_POST
def clarify(request, pk: int, bid_id: int):
    bid = visible_bid(request.user, bid_id)

    def act(data: dict) -> str:
        reviews.clarification_ask(
            actor=request.user, bid=bid, question=data["question"], ip_address=client_ip(request)
        )
        return _("The question has been sent to the bidder.")

    return submit(
        request, ClarificationForm(request.POST), act, then=review_url(bid.challenge_id) + f"#bid-{bid.pk}"
    )
