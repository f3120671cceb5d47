"""Naming rounds (示范性创新工作室命名, 动态管理) from the pages: the list, opening a round, a round's
page (nominating, the panel, scoring rows, the ranking, publishing, conferring), a nomination's page
(self-assessment with evidence, an expert's scores, objections), evidence downloads and the
printable certificate of a title. `platform_core.orgs.naming.selectors` decides what the viewer sees
(sealed scores above all); the page and the API read the same selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_core.http import client_ip
from platform_core.orgs.models import Objection
from platform_core.orgs.naming import permissions, selectors, services
from platform_core.private_storage import private_file_response

from ..naming_forms import (
    AssessmentForm,
    EvidenceForm,
    NamingExpertForm,
    NamingRoundOpenForm,
    NamingScoreForm,
    NominateForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PublishForm,
)
from .forms_flow import Done, form_for, perform, submit

app_name = "naming"


def _round_url(pk: int) -> str:
    return reverse("naming:round", args=[pk])


def _nomination_url(pk: int) -> str:
    return reverse("naming:nomination", args=[pk])


@login_required
def rounds(request):
    return render(
        request,
        "frontend/naming/rounds.html",
        {"rounds": selectors.rounds_for(request.user), "can_open": permissions.can_open_round(request.user)},
    )


@login_required
def round_open(request):
    if not permissions.can_open_round(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = NamingRoundOpenForm(request.POST, user=request.user)

        def act(data) -> Done:
            opened = services.round_open(
                actor=request.user,
                kind=data["kind"],
                level=data["level"],
                title=data["title"],
                year=data["year"],
                period_years=data["period_years"],
                nominations_close_on=data["nominations_close_on"],
                assessment_close_on=data["assessment_close_on"],
                scoring_close_on=data["scoring_close_on"],
                notice_ends_on=data["notice_ends_on"],
                weights=form.weights(),
                pass_mark=data["pass_mark"],
                experts=data["experts"],
                ip_address=client_ip(request),
            )
            return Done(_("The round is open."), _round_url(opened.pk))

        return submit(request, form, act, then=reverse("naming:open"))
    form = form_for(request, NamingRoundOpenForm, user=request.user)
    return render(request, "frontend/naming/open.html", {"form": form})


@login_required
def round_detail(request, pk: int):
    viewed = selectors.round_for(request.user, pk)
    item = viewed.round
    publish_form = None
    if viewed.can_publish:
        publish_form = form_for(
            request,
            PublishForm,
            ranking=viewed.ranking or [],
            pass_mark=item.pass_mark,
            reassessment=item.is_reassessment,
            initial={"notice_ends_on": max(item.notice_ends_on, timezone.localdate())},
        )
    return render(
        request,
        "frontend/naming/round.html",
        {
            "round": item,
            "viewed": viewed,
            "nominate_form": (
                form_for(request, NominateForm, studios=viewed.nominatable) if viewed.nominatable else None
            ),
            "expert_form": form_for(request, NamingExpertForm) if viewed.can_add_expert else None,
            "publish_form": publish_form,
        },
    )


@login_required
@require_POST
def nominate(request, pk: int):
    viewed = selectors.round_for(request.user, pk)
    if not viewed.nominatable:
        raise PermissionDenied  # nothing this user may nominate here (or nominations are closed)
    form = NominateForm(request.POST, studios=viewed.nominatable)

    def act(data) -> Done:
        studio = next(s for s in viewed.nominatable if s.pk == data["studio"])
        nomination = services.nomination_create(
            actor=request.user,
            round=viewed.round,
            studio=studio,
            statement=data["statement"],
            ip_address=client_ip(request),
        )
        return Done(_("The studio is nominated."), _nomination_url(nomination.pk))

    return submit(request, form, act, then=_round_url(pk))


@login_required
@require_POST
def expert_add(request, pk: int):
    viewed = selectors.round_for(request.user, pk)
    if not viewed.can_manage:
        raise PermissionDenied

    def act(data) -> str:
        services.round_expert_add(
            actor=request.user, round=viewed.round, expert=data["username"], ip_address=client_ip(request)
        )
        return _("The expert joins the panel.")

    return submit(request, NamingExpertForm(request.POST), act, then=_round_url(pk))


@login_required
@require_POST
def publish(request, pk: int):
    viewed = selectors.round_for(request.user, pk)
    if not viewed.can_manage:
        raise PermissionDenied
    item = viewed.round
    form = PublishForm(request.POST, ranking=viewed.ranking or [], reassessment=item.is_reassessment)

    def act(data) -> str:
        failed_reason = data.get("reason") or ""
        services.results_publish(
            actor=request.user,
            round=item,
            named=data["named"],
            notice_ends_on=data.get("notice_ends_on"),
            reasons={n.pk: failed_reason for n in viewed.ranking or [] if n.pk not in data["named"]},
            ip_address=client_ip(request),
        )
        if item.is_reassessment:
            return _("The re-assessment is concluded.")
        return _("The named list is published for public notice.")

    return submit(request, form, act, then=_round_url(pk))


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    viewed = selectors.round_for(request.user, pk)
    item, ip = viewed.round, client_ip(request)

    def act() -> str:
        if action == "start_scoring":
            services.scoring_start(actor=request.user, round=item, ip_address=ip)
            return _("Nominations are closed; the experts score.")
        if action == "close_scoring":
            services.scoring_close(actor=request.user, round=item, ip_address=ip)
            return _("Scoring is closed.")
        if action == "confer":
            titles = services.titles_confer(actor=request.user, round=item, ip_address=ip)
            return _("%(count)s titles are conferred.") % {"count": len(titles)}
        raise Http404

    return perform(request, act, then=_round_url(pk))


@login_required
def nomination_detail(request, pk: int):
    viewed = selectors.nomination_for(request.user, pk)
    texts = {row.standard: row.text for row in viewed.rows}
    my_scores = {row.standard: row.my_score for row in viewed.rows if row.my_score is not None}
    answer_forms = {}
    if viewed.can_answer:
        for objection in viewed.objections:
            if objection.status == Objection.Status.OPEN:
                answer_forms[objection.pk] = form_for(
                    request,
                    ObjectionAnswerForm,
                    posted_to=reverse("naming:answer", args=[objection.pk]),
                    auto_id=f"objection{objection.pk}-%s",
                )
    assessment_form = form_for(request, AssessmentForm, texts=texts) if viewed.can_edit else None
    return render(
        request,
        "frontend/naming/nomination.html",
        {
            "assessment_rows": (
                [(row, assessment_form[f"text_{row.standard}"]) for row in viewed.rows]
                if assessment_form
                else []
            ),
            "viewed": viewed,
            "nomination": viewed.nomination,
            "round": viewed.round,
            "assessment_form": assessment_form,
            "evidence_form": form_for(request, EvidenceForm) if viewed.can_edit else None,
            "score_form": (
                form_for(
                    request,
                    NamingScoreForm,
                    weights=selectors.weight_rows(viewed.round),
                    initial_scores=my_scores,
                )
                if viewed.can_score
                else None
            ),
            "objection_form": form_for(request, ObjectionForm) if viewed.can_object else None,
            "objection_rows": [(o, answer_forms.get(o.pk)) for o in viewed.objections],
            "standards_count": len(viewed.rows),
        },
    )


@login_required
@require_POST
def assessment(request, pk: int):
    nomination = selectors.nomination_for_action(request.user, pk)
    submitting = request.POST.get("action") == "submit"

    def act(data) -> str:
        services.assessment_save(
            actor=request.user,
            nomination=nomination,
            texts=form.texts(),
            submit=submitting,
            ip_address=client_ip(request),
        )
        return _("The self-assessment is submitted.") if submitting else _("The self-assessment is saved.")

    form = AssessmentForm(request.POST)
    return submit(request, form, act, then=_nomination_url(pk))


@login_required
@require_POST
def evidence_add(request, pk: int):
    nomination = selectors.nomination_for_action(request.user, pk)

    def act(data) -> str:
        services.evidence_add(
            actor=request.user,
            nomination=nomination,
            standard=data["standard"],
            upload=data["file"],
            ip_address=client_ip(request),
        )
        return _("The evidence is added.")

    return submit(request, EvidenceForm(request.POST, request.FILES), act, then=_nomination_url(pk))


@login_required
@require_POST
def score(request, pk: int):
    nomination = selectors.nomination_for_action(request.user, pk)
    form = NamingScoreForm(request.POST, weights=selectors.weight_rows(nomination.round))

    def act(data) -> str:
        services.score_save(
            actor=request.user, nomination=nomination, scores=form.scores(), ip_address=client_ip(request)
        )
        return _("Your scores are saved.")

    return submit(request, form, act, then=_nomination_url(pk))


@login_required
@require_POST
def lodge_objection(request, pk: int):
    nomination = selectors.nomination_for_action(request.user, pk)

    def act(data) -> str:
        services.objection_lodge(
            actor=request.user, nomination=nomination, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("Your objection is lodged; the round's admin will answer it.")

    return submit(request, ObjectionForm(request.POST), act, then=_nomination_url(pk))


@login_required
@require_POST
def answer(request, pk: int):
    objection = selectors.objection_for(request.user, pk)

    def act(data) -> str:
        services.objection_answer(
            actor=request.user,
            objection=objection,
            upheld=data["decision"] == "upheld",
            answer=data["answer"],
            ip_address=client_ip(request),
        )
        return _("The objection is answered.")

    form = ObjectionAnswerForm(request.POST, auto_id=f"objection{pk}-%s")
    return submit(request, form, act, then=_nomination_url(objection.nomination_id))


@login_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_for_download(request.user, pk)
    return private_file_response(evidence.file, filename=evidence.name)


@login_required
def certificate(request, pk: int):
    title = selectors.title_for(request.user, pk)
    return render(request, "frontend/naming/certificate.html", {"title": title, "studio": title.studio})


urlpatterns = [
    path("", rounds, name="rounds"),
    path("open/", round_open, name="open"),
    path("<int:pk>/", round_detail, name="round"),
    path("<int:pk>/nominate/", nominate, name="nominate"),
    path("<int:pk>/expert/", expert_add, name="expert_add"),
    path("<int:pk>/publish/", publish, name="publish"),
    path("<int:pk>/do/<slug:action>/", round_action, name="round_action"),
    path("nominations/<int:pk>/", nomination_detail, name="nomination"),
    path("nominations/<int:pk>/assessment/", assessment, name="assessment"),
    path("nominations/<int:pk>/evidence/", evidence_add, name="evidence_add"),
    path("nominations/<int:pk>/score/", score, name="score"),
    path("nominations/<int:pk>/object/", lodge_objection, name="object"),
    path("objections/<int:pk>/answer/", answer, name="answer"),
    path("evidence/<int:pk>/", evidence_download, name="evidence"),
    path("titles/<int:pk>/certificate/", certificate, name="certificate"),
]
