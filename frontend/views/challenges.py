"""The challenge pages (揭榜挂帅): the board, a challenge's page, posting and the lifecycle buttons,
public Q&A, and bids. The review, award, milestones and problems pages are in review_*.py,
milestones.py and problems.py (same URL namespace, gathered by challenges_review.py). Every write
goes through the same service as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.owners import owner_from_key, owner_key
from challenges import permissions, selectors
from challenges.lifecycle import ACTION_LABELS, ACTIONS_NEEDING_TEXT, Action
from challenges.models import Bid, Challenge, Milestone, Question
from challenges.services import attachments, qa
from challenges.services import bids as bid_services
from challenges.services import challenges as challenge_services
from frontend.context_processors import page_topic_head
from platform_core.http import client_ip
from platform_core.orgs.models import Unit
from platform_core.orgs.permissions import admin_scope_filter
from showcase import selectors as showcase_selectors

from ..challenge_forms import (
    AnswerForm,
    AttachmentForm,
    BidForm,
    BoardFilterForm,
    ChallengeForm,
    ClarificationAnswerForm,
    QuestionForm,
    TransitionForm,
)
from . import challenges_bidder, challenges_review
from .forms_flow import form_for, form_saved, page_status, perform, submit

app_name = "challenges"

BOARD_PAGE_SIZE = 20


def visible_challenge(user, pk: int) -> Challenge:
    """The challenge with its effective state, or 404 (an unseen challenge is "not found")."""
    try:
        return selectors.challenge_for(user, pk)
    except Challenge.DoesNotExist:
        raise Http404 from None


def visible_bid(user, pk: int) -> tuple[Bid, str]:
    try:
        return selectors.bid_for(user, pk)
    except Bid.DoesNotExist:
        raise Http404 from None


def challenge_url(challenge: Challenge) -> str:
    return reverse("challenges:detail", args=[challenge.pk])


def board(request):
    form = BoardFilterForm(request.GET or None)
    challenges = selectors.board(request.user, **form.filters())
    page = Paginator(challenges, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/challenges/board.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "board_topic_head": page_topic_head(request, "board:all")
            if request.user.is_authenticated
            else None,
            "may_post": _postable_units(request.user).exists(),
        },
    )


def _postable_units(user):
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.order_by("name")
    return (
        Unit.objects.filter(Q(poster_grants__user=user) | admin_scope_filter(user, "pk"))
        .distinct()
        .order_by("name")
    )


def _actions(access: permissions.ChallengeAccess) -> list[dict]:
    """The lifecycle buttons this user may press now (the award has its own page)."""
    return [
        {"value": action.value, "label": ACTION_LABELS[action], "needs_text": action in ACTIONS_NEEDING_TEXT}
        for action in access.actions
        if action not in (Action.AWARD, Action.CLOSE_BIDDING)
    ]


def _publish_result_url(user, challenge: Challenge, state: str) -> str:
    """The showcase form for this accepted challenge's outcome, when `user` may publish it: the
    showcase's own rule (outcomes_for: a winner's lead, not in the showcase yet)."""
    if state != Challenge.State.ACCEPTED:
        return ""
    outcome = showcase_selectors.outcomes_for(user).filter(challenge=challenge).first()
    return challenge_services.publish_result_url(outcome) if outcome is not None else ""


def detail(request, pk: int):
    challenge = visible_challenge(request.user, pk)  # fields this viewer may not read come blanked
    access = selectors.access_of(challenge)
    state = access.state
    user = request.user
    context = {
        "challenge": challenge,
        "access": access,
        "state": state,
        "state_label": Challenge.State(state).label,
        "bid_count": selectors.bid_count_for(user, challenge),
        "criteria": challenge.criteria.all(),
        "questions": selectors.questions_for(challenge),
        "milestones": selectors.milestones_for(user, challenge),
        "milestone_statuses": Milestone.Status.choices,
        "attachments": challenge.attachments.all(),
        "actions": _actions(access),
        "bid_options": selectors.bid_options(user, challenge) if state == Challenge.State.PUBLISHED else [],
        "my_bids": selectors.my_bids(user, challenge=challenge),
        "source_problems": challenge.source_problems.all() if access.poster_side else [],
        "publish_result_url": _publish_result_url(user, challenge, state),
        # A refused form comes back bound, as typed, its error beside its field (forms_flow).
        "question_form": form_for(request, QuestionForm),
        "attachment_form": form_for(request, AttachmentForm),
        "answer_forms": _answer_forms(request, challenge, access),
        **_transition_forms(request, access),
        "topic_head": page_topic_head(request, challenge.topic) if user.is_authenticated else None,
    }
    return render(request, "frontend/challenges/detail.html", context)


def _transition_forms(request, access: permissions.ChallengeAccess) -> dict:
    """The lifecycle buttons' form, refused or empty; `transition_in_details` when the refused one
    is an action with text offered on the page (its error goes beside the text, its section open),
    else its errors show above the buttons."""
    form = form_for(request, TransitionForm)
    refused = form.data.get("action") if form.is_bound else None
    in_details = refused is not None and any(
        action["value"] == refused and action["needs_text"] for action in _actions(access)
    )
    return {"transition_form": form, "transition_in_details": in_details}


def _answer_forms(
    request, challenge: Challenge, access: permissions.ChallengeAccess
) -> dict[int, AnswerForm]:
    """One answer form per unanswered question, for who may answer: the refused one is the form
    that posted to its own question's URL, the others are empty."""
    if not access.may_answer_questions:
        return {}
    return {
        question.pk: form_for(
            request,
            AnswerForm,
            auto_id=f"answer-{question.pk}-%s",
            posted_to=reverse("challenges:answer", args=[challenge.pk, question.pk]),
        )
        for question in selectors.questions_for(challenge)
        if not question.answer
    }


def _challenge_form_page(request, *, challenge: Challenge | None):
    units = _postable_units(request.user)
    if challenge is None and not units.exists():
        raise PermissionDenied(_("Only those who may post for a unit may draft challenges for it."))
    initial = ChallengeForm.initial_from(challenge) if challenge else {}
    form = ChallengeForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        saved: list[Challenge] = []

        def save() -> str:
            if challenge is None:
                saved.append(
                    challenge_services.challenge_create(
                        actor=request.user,
                        unit=form.cleaned_data["unit"],
                        ip_address=client_ip(request),
                        **fields,
                    )
                )
                return _("The draft has been saved. Submit it for approval when it is ready.")
            saved.append(
                challenge_services.challenge_update(
                    actor=request.user, challenge=challenge, ip_address=client_ip(request), **fields
                )
            )
            return _("The draft has been updated.")

        if form_saved(request, form, save):
            return redirect(challenge_url(saved[0]))
    return render(request, "frontend/challenges/edit.html", {"form": form, "challenge": challenge})


@login_required
def new(request):
    return _challenge_form_page(request, challenge=None)


@login_required
def edit(request, pk: int):
    challenge = visible_challenge(request.user, pk)
    if not permissions.is_poster_side(request.user, challenge):
        raise PermissionDenied(_("Only the poster or a union admin over the unit may edit this challenge."))
    return _challenge_form_page(request, challenge=challenge)


@login_required
@require_POST
def transition(request, pk: int):
    challenge = visible_challenge(request.user, pk)

    def act(data: dict) -> str:
        challenge_services.challenge_transition(
            actor=request.user,
            challenge=challenge,
            action=data["action"],
            text=data["text"],
            ip_address=client_ip(request),
        )
        return _("Done: %(action)s.") % {"action": ACTION_LABELS.get(data["action"], data["action"])}

    return submit(request, TransitionForm(request.POST), act, then=challenge_url(challenge))


@login_required
@require_POST
def ask(request, pk: int):
    challenge = visible_challenge(request.user, pk)

    def act(data: dict) -> str:
        qa.question_ask(
            actor=request.user, challenge=challenge, body=data["body"], ip_address=client_ip(request)
        )
        return _("Your question has been posted; the poster's answer will appear here.")

    return submit(request, QuestionForm(request.POST), act, then=challenge_url(challenge) + "#qa")


@login_required
@require_POST
def answer(request, pk: int, question_id: int):
    try:
        question = selectors.question_for(request.user, question_id)
    except Question.DoesNotExist:
        raise Http404 from None
    if question.challenge_id != pk:
        raise Http404
    challenge = question.challenge

    def act(data: dict) -> str:
        qa.question_answer(
            actor=request.user, question=question, answer=data["answer"], ip_address=client_ip(request)
        )
        return _("The answer has been published to every bidder.")

    return submit(request, AnswerForm(request.POST), act, then=challenge_url(challenge) + "#qa")


def _bidder_choices(options) -> list[tuple[str, str]]:
    choices = []
    for option in options:
        if option.problem:
            continue
        if option.studio is not None:
            choices.append((owner_key(studio=option.studio), _("Studio: %(name)s") % {"name": option.studio}))
        else:
            choices.append((owner_key(team=option.team), _("Team: %(name)s") % {"name": option.team}))
    return choices


def _bidder(value: str) -> dict:
    studio, team = owner_from_key(value)
    return {"studio": studio, "team": team}


def _attach(request, bid: Bid, form: BidForm) -> None:
    if form.cleaned_data["file"]:
        attachments.attachment_add(
            actor=request.user, upload=form.cleaned_data["file"], bid=bid, ip_address=client_ip(request)
        )


def _bidding_closed_page(request, challenge: Challenge, state: str):
    """The bid form is not served once bidding is over (nor before it opens): the challenge's page
    with the reason instead, so a page left open past the deadline cannot send a late bid."""
    refusal = permissions.bidding_refusal(challenge, state)
    if not refusal:
        return None
    messages.error(request, refusal)
    return redirect(challenge_url(challenge))


@login_required
def bid_new(request, pk: int):
    challenge = visible_challenge(request.user, pk)
    closed = _bidding_closed_page(request, challenge, selectors.state_of(challenge))
    if closed is not None:
        return closed
    options = selectors.bid_options(request.user, challenge)
    form = BidForm(
        request.POST or None,
        request.FILES or None,
        options=_bidder_choices(options),
        reward=challenge.reward_amount,
    )
    if request.method == "POST" and form.is_valid():

        def act() -> str:
            with transaction.atomic():  # a refused file leaves no bid behind
                bid = bid_services.bid_submit(
                    actor=request.user,
                    challenge=challenge,
                    ip_address=client_ip(request),
                    **_bidder(form.cleaned_data["bidder"]),
                    **form.content(),
                )
                _attach(request, bid, form)
            return _(
                "Your bid has been submitted and sealed. You may edit or withdraw it until the deadline."
            )

        if form_saved(request, form, act):
            return redirect("challenges:my_bids")
    return render(
        request,
        "frontend/challenges/bid_form.html",
        {"challenge": challenge, "form": form, "options": options, "bid": None},
        status=page_status(form),
    )


@login_required
def bid_edit(request, pk: int):
    bid, state = visible_bid(request.user, pk)
    if not permissions.leads_bidder(request.user, bid):
        raise PermissionDenied(_("Only the bidder's lead may edit the bid."))
    closed = _bidding_closed_page(request, bid.challenge, state)
    if closed is not None:
        return closed
    form = BidForm(
        request.POST or None,
        request.FILES or None,
        options=[(BidForm.initial_from(bid)["bidder"], str(bid.bidder))],
        initial=BidForm.initial_from(bid),
        reward=bid.challenge.reward_amount,
    )
    if request.method == "POST" and form.is_valid():

        def act() -> str:
            with transaction.atomic():  # a refused file leaves the bid as it was
                bid_services.bid_update(
                    actor=request.user, bid=bid, ip_address=client_ip(request), **form.content()
                )
                _attach(request, bid, form)
            return _("Your bid has been updated and signed again.")

        if form_saved(request, form, act):
            return redirect("challenges:my_bids")
    return render(
        request,
        "frontend/challenges/bid_form.html",
        {"challenge": bid.challenge, "form": form, "bid": bid, "files": bid.attachments.all()},
        status=page_status(form),
    )


@login_required
@require_POST
def bid_withdraw(request, pk: int):
    bid, _state = visible_bid(request.user, pk)

    def act() -> str:
        bid_services.bid_withdraw(actor=request.user, bid=bid, ip_address=client_ip(request))
        return _("Your bid has been withdrawn.")

    return perform(request, act, then=reverse("challenges:my_bids"))


@login_required
def my_bids(request):
    bids = selectors.my_bids(request.user).prefetch_related("clarifications", "attachments", "plan_steps")
    page = Paginator(bids, 20).get_page(request.GET.get("page"))
    # "Edit" and "Withdraw" are offered while the service would accept them (the database clock).
    return render(
        request,
        "frontend/challenges/my_bids.html",
        {
            "page": page,
            "changeable": {
                bid.pk
                for bid in page
                if permissions.may_change_bid(request.user, bid, state=bid.challenge_state)
            },
            # Only the bidder's lead answers the poster's questions (the service checks it again).
            "leading": {bid.pk for bid in page if permissions.leads_bidder(request.user, bid)},
            "answer_forms": {
                clarification.pk: form_for(
                    request,
                    ClarificationAnswerForm,
                    auto_id=f"clarification-{clarification.pk}-%s",
                    posted_to=reverse("challenges:clarification_answer", args=[clarification.pk]),
                )
                for bid in page
                for clarification in bid.clarifications.all()
                if not clarification.answer
            },
        },
    )


urlpatterns = [
    path("challenges/", board, name="board"),
    path("challenges/new/", new, name="new"),
    path("challenges/<int:pk>/", detail, name="detail"),
    path("challenges/<int:pk>/edit/", edit, name="edit"),
    path("challenges/<int:pk>/transition/", transition, name="transition"),
    path("challenges/<int:pk>/questions/", ask, name="ask"),
    path("challenges/<int:pk>/questions/<int:question_id>/answer/", answer, name="answer"),
    path("challenges/<int:pk>/bid/", bid_new, name="bid_new"),
    path("bids/", my_bids, name="my_bids"),
    path("bids/<int:pk>/edit/", bid_edit, name="bid_edit"),
    path("bids/<int:pk>/withdraw/", bid_withdraw, name="bid_withdraw"),
    *challenges_review.urlpatterns,
    *challenges_bidder.urlpatterns,
]
