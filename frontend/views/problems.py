"""Problem collection and triage (问题收集): members submit problems; the posters and union admins
of the unit merge, reject, or draft a challenge from them."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import selectors
from challenges.models import Challenge, Problem
from challenges.services import attachments, problems
from platform_core.http import client_ip
from platform_core.orgs.selectors import units_by_name

from ..challenge_forms import MergeForm, ProblemForm, ReasonForm
from .challenge_lookups import visible_problem
from .forms_flow import form_for, perform, submit


@login_required
def problem_list(request):
    if request.method == "POST":
        form = ProblemForm(request.POST, request.FILES, units=units_by_name())

        def act(data: dict) -> str:
            with transaction.atomic():  # a refused file leaves no problem behind
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
                        actor=request.user,
                        upload=data["file"],
                        problem=problem,
                        ip_address=client_ip(request),
                    )
            return _("Thank you: your problem has been submitted to the unit's posters.")

        return submit(request, form, act, then=reverse("challenges:problems"))
    page = Paginator(selectors.problems_visible_to(request.user), 30).get_page(request.GET.get("page"))
    page.object_list = selectors.with_triage_flags(request.user, page.object_list)
    for problem in page.object_list:
        if problem.may_triage and problem.status == Problem.Status.OPEN:
            _triage_forms(request, problem)
    return render(
        request,
        "frontend/challenges/problems.html",
        {
            # A refused form comes back bound, as typed, its error beside its field (forms_flow).
            "form": form_for(
                request, ProblemForm, units=units_by_name(), initial={"unit": request.user.unit_id}
            ),
            "page": page,
            "may_draft": any(problem.may_triage for problem in page),
        },
    )


def _triage_forms(request, problem: Problem) -> None:
    """The problem's merge and reject forms, the refused one as typed (each posts to its own
    problem's URL), its triage section open."""
    problem.merge_form = form_for(  # type: ignore[attr-defined]
        request,
        MergeForm,
        auto_id=f"merge-{problem.pk}-%s",
        posted_to=reverse("challenges:problem_merge", args=[problem.pk]),
    )
    problem.reject_form = form_for(  # type: ignore[attr-defined]
        request,
        ReasonForm,
        auto_id=f"reject-{problem.pk}-%s",
        posted_to=reverse("challenges:problem_reject", args=[problem.pk]),
    )
    problem.triage_open = problem.merge_form.is_bound or problem.reject_form.is_bound  # type: ignore[attr-defined]


@login_required
@require_POST
def problem_merge(request, pk: int):
    problem = visible_problem(request.user, pk)

    def act(data: dict) -> str:
        into = visible_problem(request.user, data["into"])
        problems.problem_merge(actor=request.user, problem=problem, into=into, ip_address=client_ip(request))
        return _("The problem has been merged.")

    return submit(request, MergeForm(request.POST), act, then=reverse("challenges:problems"))


@login_required
@require_POST
def problem_reject(request, pk: int):
    problem = visible_problem(request.user, pk)

    def act(data: dict) -> str:
        problems.problem_reject(
            actor=request.user, problem=problem, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("The problem has been rejected; the submitter has been told why.")

    return submit(request, ReasonForm(request.POST), act, then=reverse("challenges:problems"))


def _refuse(message: str) -> str:
    """Refuse like a service would: forms_flow shows the message."""
    raise ValidationError(message)


@login_required
@require_POST
def problem_draft(request):
    """Turn the ticked problems into a challenge draft (dates and contact prefilled), then edit it.
    The service refuses whom may not triage every one of them."""
    chosen = [
        visible_problem(request.user, int(value))
        for value in request.POST.getlist("problems")
        if value.isdigit()
    ]
    if not chosen:
        return perform(
            request, lambda: _refuse(_("Choose at least one problem.")), then=reverse("challenges:problems")
        )
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
