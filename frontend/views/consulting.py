"""专家咨询 from the pages: asking a committee, the pool an expert takes from, a consultation with
its private thread (the alliances chat pane), the chair's assignment, the answer, the rating and
the publication; the committees and their seats; the union's figures; the public Q&A."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.consulting import figures, selectors, services
from platform_core.accounts import committees as committee_services
from platform_core.http import client_ip
from platform_core.orgs.models import Studio
from platform_core.private_storage import private_file_response

from ..charts import bar_chart
from ..chat import room_context
from ..consulting_forms import (
    AnswerForm,
    AskForm,
    AssignForm,
    CommitteeForm,
    CommitteeNewForm,
    RateForm,
    SeatForm,
)
from .forms_flow import Done, form_for, perform, submit

app_name = "consulting"

PAGE_SIZE = 20


def _detail_url(consultation) -> str:
    return reverse("consulting:detail", args=[consultation.pk])


def _led_studios(user):
    return list(Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE).order_by("name"))


@login_required
def index(request):
    mine = Paginator(selectors.consultations_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/consulting/index.html",
        {"page": mine, "pool": selectors.takeable_by(request.user)},
    )


@login_required
def ask(request):
    studios = _led_studios(request.user)
    if request.method == "POST":
        form = AskForm(request.POST, request.FILES, studios=studios)

        def act(data) -> Done:
            consultation = services.consultation_ask(
                actor=request.user,
                committee=data["committee"],
                studio=form.studio(),
                title=data["title"],
                body=data["body"],
                fields=data["work_fields"],
                files=[data["file"]] if data.get("file") else [],
                ip_address=client_ip(request),
            )
            return Done(_("Your question is sent to the committee's experts."), _detail_url(consultation))

        return submit(request, form, act, then=reverse("consulting:ask"))
    initial = {"committee": request.GET.get("committee", "")}
    return render(
        request,
        "frontend/consulting/ask.html",
        {"form": form_for(request, AskForm, studios=studios, initial=initial)},
    )


@login_required
def detail(request, pk: int):
    viewer = selectors.consultation_for(request.user, pk)
    consultation, access = viewer.consultation, viewer.access
    context = {
        "consultation": consultation,
        "access": access,
        "files": viewer.files,
        "assign_form": form_for(request, AssignForm, choices=viewer.assign_choices)
        if access.can_assign
        else None,
        "answer_form": form_for(request, AnswerForm) if access.can_answer else None,
        "rate_form": form_for(request, RateForm) if access.can_rate else None,
        "qa_entry": getattr(consultation, "qa_entry", None),
    }
    if access.in_thread and consultation.room is not None:
        context.update(room_context(request, consultation.room))
    return render(request, "frontend/consulting/detail.html", context)


@login_required
@require_POST
def take(request, pk: int):
    consultation = selectors.consultation_for(request.user, pk).consultation

    def act() -> str:
        services.consultation_take(
            actor=request.user, consultation=consultation, ip_address=client_ip(request)
        )
        return _("The question is yours: talk it over with the asker below.")

    return perform(request, act, then=_detail_url(consultation))


@login_required
@require_POST
def assign(request, pk: int):
    viewer = selectors.consultation_for(request.user, pk)
    consultation = viewer.consultation
    if not viewer.access.can_assign:
        raise PermissionDenied(_("Only the committee's chair assigns a question nobody has taken."))
    form = AssignForm(request.POST, choices=viewer.assign_choices)

    def act(data) -> str:
        services.consultation_assign(
            actor=request.user,
            consultation=consultation,
            expert=data["expert"],
            ip_address=client_ip(request),
        )
        return _("The question is assigned.")

    return submit(request, form, act, then=_detail_url(consultation))


@login_required
@require_POST
def answer(request, pk: int):
    consultation = selectors.consultation_for(request.user, pk).consultation

    def act(data) -> str:
        services.consultation_answer(
            actor=request.user,
            consultation=consultation,
            answer=data["answer"],
            ip_address=client_ip(request),
        )
        return _("Your answer is sent and the consultation is closed.")

    return submit(request, AnswerForm(request.POST), act, then=_detail_url(consultation))


@login_required
@require_POST
def withdraw(request, pk: int):
    consultation = selectors.consultation_for(request.user, pk).consultation

    def act() -> str:
        services.consultation_withdraw(
            actor=request.user, consultation=consultation, ip_address=client_ip(request)
        )
        return _("The question is withdrawn.")

    return perform(request, act, then=_detail_url(consultation))


@login_required
@require_POST
def rate(request, pk: int):
    consultation = selectors.consultation_for(request.user, pk).consultation

    def act(data) -> str:
        services.consultation_rate(
            actor=request.user,
            consultation=consultation,
            rating=data["rating"],
            comment=data["comment"],
            ip_address=client_ip(request),
        )
        return _("Thank you for rating the answer.")

    return submit(request, RateForm(request.POST), act, then=_detail_url(consultation))


@login_required
@require_POST
def publish(request, pk: int):
    """Consent is the button itself; the one choice is a checkbox (no input to keep)."""
    consultation = selectors.consultation_for(request.user, pk).consultation

    def act() -> Done:
        entry = services.consultation_publish(
            actor=request.user,
            consultation=consultation,
            hide_name=request.POST.get("hide_name") == "on",
            ip_address=client_ip(request),
        )
        return Done(
            _("The question and its answer are published as public Q&A."),
            reverse("consulting:qa_detail", args=[entry.pk]),
        )

    return perform(request, act, then=_detail_url(consultation))


@login_required
def file_download(request, pk: int, file_pk: int):
    stored = selectors.file_for_download(request.user, pk, file_pk)
    return private_file_response(stored.file, filename=stored.name)


# Committees -----------------------------------------------------------------------------------


@login_required
def committees(request):
    return render(
        request,
        "frontend/consulting/committees.html",
        {
            "committees": selectors.committees(),
            "can_manage": committee_services.can_manage_committees(request.user),
        },
    )


@login_required
def committee_new(request):
    if not committee_services.can_manage_committees(request.user):
        raise PermissionDenied(_("Only union admins manage the expert committees."))
    if request.method == "POST":

        def act(data) -> Done:
            committee = committee_services.committee_save(actor=request.user, **data)
            return Done(_("The committee is saved."), reverse("consulting:committee", args=[committee.code]))

        return submit(request, CommitteeNewForm(request.POST), act, then=reverse("consulting:committee_new"))
    return render(
        request, "frontend/consulting/committee_new.html", {"form": form_for(request, CommitteeNewForm)}
    )


def _committee_url(committee) -> str:
    return reverse("consulting:committee", args=[committee.code])


@login_required
def committee(request, code: str):
    item = selectors.committee_for(request.user, code)
    initial = {
        "name": item.name,
        "description": item.description,
        "chair": item.chair.username if item.chair else "",
        "escalate_after_hours": item.escalate_after_hours,
    }
    can_manage = committee_services.can_manage_committees(request.user)
    return render(
        request,
        "frontend/consulting/committee.html",
        {
            "committee": item,
            "can_manage": can_manage,
            "edit_form": form_for(request, CommitteeForm, initial=initial) if can_manage else None,
            "seat_form": form_for(request, SeatForm) if can_manage else None,
        },
    )


@login_required
@require_POST
def committee_edit(request, code: str):
    item = selectors.committee_for(request.user, code)

    def act(data) -> str:
        committee_services.committee_save(actor=request.user, committee=item, **data)
        return _("The committee is saved.")

    return submit(request, CommitteeForm(request.POST), act, then=_committee_url(item))


@login_required
@require_POST
def seat_add(request, code: str):
    item = selectors.committee_for(request.user, code)

    def act(data) -> str:
        committee_services.committee_seat_grant(actor=request.user, user=data["user"], code=item.code)
        return _("The expert is seated on the committee.")

    return submit(request, SeatForm(request.POST), act, then=_committee_url(item))


@login_required
@require_POST
def seat_remove(request, code: str, user_pk: int):
    item = selectors.committee_for(request.user, code)
    user = get_object_or_404(get_user_model(), pk=user_pk)

    def act() -> str:
        committee_services.committee_seat_revoke(actor=request.user, committee=item, user=user)
        return _("The expert has left the committee.")

    return perform(request, act, then=_committee_url(item))


@login_required
def figures_page(request):
    rows = figures.committee_figures(request.user)
    return render(
        request,
        "frontend/consulting/figures.html",
        {
            "rows": rows,
            "hours_chart": bar_chart(
                [(row.committee.name, int(row.first_answer_hours or 0)) for row in rows]
            ),
            "asked_chart": bar_chart([(row.committee.name, row.asked) for row in rows]),
        },
    )


# Public Q&A -----------------------------------------------------------------------------------


def qa_list(request):
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.qa_entries(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontend/consulting/qa_list.html", {"page": page, "query": query})


def qa_detail(request, pk: int):
    return render(
        request, "frontend/consulting/qa_detail.html", {"entry": selectors.qa_for(request.user, pk)}
    )


urlpatterns = [
    path("consulting/", index, name="index"),
    path("consulting/ask/", ask, name="ask"),
    path("consulting/<int:pk>/", detail, name="detail"),
    path("consulting/<int:pk>/take/", take, name="take"),
    path("consulting/<int:pk>/assign/", assign, name="assign"),
    path("consulting/<int:pk>/answer/", answer, name="answer"),
    path("consulting/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("consulting/<int:pk>/rate/", rate, name="rate"),
    path("consulting/<int:pk>/publish/", publish, name="publish"),
    path("consulting/<int:pk>/files/<int:file_pk>/", file_download, name="file"),
    path("consulting/committees/", committees, name="committees"),
    path("consulting/committees/new/", committee_new, name="committee_new"),
    path("consulting/committees/<slug:code>/", committee, name="committee"),
    path("consulting/committees/<slug:code>/edit/", committee_edit, name="committee_edit"),
    path("consulting/committees/<slug:code>/seats/", seat_add, name="seat_add"),
    path("consulting/committees/<slug:code>/seats/<int:user_pk>/remove/", seat_remove, name="seat_remove"),
    path("consulting/figures/", figures_page, name="figures"),
    path("qa/", qa_list, name="qa_list"),
    path("qa/<int:pk>/", qa_detail, name="qa_detail"),
]
