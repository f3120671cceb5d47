"""The review workspace: experts score the bids, the poster side follows the ranking and each
expert's progress, shortlists and asks the bidders clarifying questions. What each viewer may
see and do comes from challenges.selectors and the flags of permissions.ChallengeAccess."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
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
from .forms_flow import Done, form_for, perform, submit


def _stage(value: str | None) -> str:
    return Score.Stage.MIDTERM if value == "midterm" else Score.Stage.BID


def _score_rows(
    request, challenge_pk: int, workspace: dict, scoring: bool, award_form: AwardForm
) -> list[dict]:
    """Each bid with the viewer's own score form, filled with what they scored before (or with
    what they typed, when this rendering shows their refused scores again), and what a refused
    award had ticked and written for it."""
    mine = {(score.bid_id, score.criterion_id): score for score in workspace["my_scores"]}
    # A refused award keeps its ticks and feedback (posted with the form, outside its fields).
    posted = award_form.data if isinstance(award_form.data, QueryDict) else QueryDict()
    winners = set(posted.getlist("winners"))
    rows = []
    for bid in workspace["bids"]:
        initial = {}
        for criterion in workspace["criteria"]:
            score = mine.get((bid.pk, criterion.pk))
            if score is not None:
                initial[f"value_{criterion.pk}"] = score.value
                initial[f"comment_{criterion.pk}"] = score.comment
        form = form_for(
            request,
            ScoreForm,
            criteria=workspace["criteria"],
            initial=initial,
            prefix=f"bid{bid.pk}",
            posted_to=reverse("challenges:score", args=[challenge_pk, bid.pk]),
        )
        pairs = [(c, form[f"value_{c.pk}"], form[f"comment_{c.pk}"]) for c in workspace["criteria"]]
        rows.append(
            {
                "bid": bid,
                "form": form if scoring else None,
                "pairs": pairs,
                "award_ticked": str(bid.pk) in winners,
                "award_feedback": posted.get(f"feedback_{bid.pk}", ""),
                # One question form per bid: a refused one comes back under its own bid.
                "clarify_form": form_for(
                    request,
                    ClarificationForm,
                    auto_id=f"clarify-{bid.pk}-%s",
                    posted_to=reverse("challenges:clarify", args=[challenge_pk, bid.pk]),
                ),
            }
        )
    return rows


def _expert_form(request, pk: int) -> ExpertForm:
    """Suggests experts by committee and field as one types, conflicted ones left out once the
    bids are open (challenges.selectors.expert_suggestions, through the API)."""
    form = form_for(request, ExpertForm)
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
    award_form = form_for(request, AwardForm)
    return render(
        request,
        "frontend/challenges/review.html",
        {
            "challenge": challenge,
            "access": access,
            "state": access.state,
            "workspace": workspace,
            "rows": _score_rows(request, pk, workspace, access.scoring, award_form),
            "expert_form": _expert_form(request, pk),
            "conflict_form": form_for(request, ReasonForm),
            "award_form": award_form,
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

    def act(data: dict) -> Done:
        reviews.expert_declare_conflict(
            actor=request.user, challenge=challenge, reason=data["reason"], ip_address=client_ip(request)
        )
        # Recused, the expert no longer reads the workspace: the challenge page follows.
        return Done(
            _("Your conflict of interest is recorded; you no longer review this challenge."),
            then=reverse("challenges:detail", args=[pk]),
        )

    # The form is on the review workspace: a refused declaration comes back there.
    return submit(request, ReasonForm(request.POST), act, then=review_url(pk))


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
