"""Appraisal and selection rounds from the pages: the list, opening one, its page (scoring,
ranking, results) and the actions of whoever runs it. `selectors.round_for` decides what the
viewer sees (the ranking or not) and may do; the page and the API both read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_core.http import client_ip
from showcase import permissions, selectors
from showcase.models import Award, Round
from showcase.services import rounds as round_services

from ..showcase_forms import RoundExpertForm, RoundOpenForm, RoundScoreForm
from .forms_flow import Done, form_for, perform, submit


def rounds(request):
    return render(
        request,
        "frontend/showcase/rounds.html",
        {"rounds": selectors.rounds_for(request.user), "can_open": permissions.can_open_round(request.user)},
    )


@login_required
def round_open(request):
    if request.method == "POST":

        def act(data) -> Done:
            opened = round_services.round_open(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                criteria=data["criteria"],
                experts=data["experts"],
                ip_address=client_ip(request),
            )
            return Done(_("The round is open."), reverse("showcase:round", args=[opened.pk]))

        return submit(request, RoundOpenForm(request.POST), act, then=reverse("showcase:round_open"))
    return render(request, "frontend/showcase/round_open.html", {"form": form_for(request, RoundOpenForm)})


def round_detail(request, pk: int):
    viewed = selectors.round_for(request.user, pk)
    item = viewed.round
    ranking = viewed.ranking or []
    return render(
        request,
        "frontend/showcase/round.html",
        {
            "round": item,
            "criteria": viewed.criteria,
            "viewed": viewed,
            "ranking": ranking,
            "suggested": selectors.suggested_results(item, ranking) if viewed.can_publish else {},
            "results": [("", _("No award"))]
            + [
                (a.value, a.label)
                for a in Award
                if a in round_services.RESULTS_BY_KIND[Round.Kind(item.kind)]
            ],
            "to_score": _score_rows(request, viewed) if viewed.can_score else [],
            "candidates": selectors.round_candidates(item) if viewed.can_run else [],
            "expert_form": form_for(request, RoundExpertForm) if viewed.can_run else None,
        },
    )


def _score_rows(request, viewed) -> list[dict]:
    """The expert's entries, each with its marks form: the refused one as typed (the form that
    posted that entry), the others filled with the marks saved so far."""
    rows = selectors.entries_to_score(request.user, viewed.round)
    for row in rows:
        entry = row["entry"]
        initial = {f"score-{criterion}": score.value for criterion, score in row["scores"].items()}
        row["form"] = form_for(
            request,
            RoundScoreForm,
            criteria=viewed.criteria,
            initial={"entry": entry.pk, **initial},
            auto_id=f"entry{entry.pk}-%s",
            posted_with={"entry": entry.pk},
        )
    return rows


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    viewed = selectors.round_for(request.user, pk)
    item = viewed.round
    post, ip = request.POST, client_ip(request)

    def number(name: str) -> int:
        raw = post.get(name, "")
        return int(raw) if raw.isascii() and raw.isdigit() else 0

    def act() -> str:
        if action == "entry":
            achievement = selectors.showcase_achievement(number("achievement"))
            round_services.round_entry_add(
                actor=request.user, round=item, achievement=achievement, ip_address=ip
            )
            return _("The achievement is entered.")
        if action == "close":
            round_services.round_close(actor=request.user, round=item, ip_address=ip)
            return _("Scoring is closed.")
        if action == "publish":
            results = {
                int(key.removeprefix("result-")): value
                for key, value in post.items()
                if key.startswith("result-") and key.removeprefix("result-").isdigit()
            }
            round_services.round_publish(actor=request.user, round=item, results=results, ip_address=ip)
            return _("The results are published.")
        raise Http404

    then = reverse("showcase:round", args=[pk])
    if action == "score":
        # A form per entry: refused marks come back as typed, in that entry's row (forms_flow).
        form = RoundScoreForm(request.POST, criteria=viewed.criteria)

        def score(data) -> str:
            entry = selectors.round_entry(item, data["entry"])
            round_services.round_score(actor=request.user, entry=entry, scores=form.scores(), ip_address=ip)
            return _("Your scores are saved.")

        return submit(request, form, score, then=then)
    if action == "expert":
        # A form: a refused name comes back as typed, beside the field (forms_flow).

        def add(data) -> str:
            round_services.round_expert_add(
                actor=request.user, round=item, expert=data["username"], ip_address=ip
            )
            return _("The expert joins the panel.")

        return submit(request, RoundExpertForm(request.POST), add, then=then)
    return perform(request, act, then=then)
