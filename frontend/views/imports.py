"""Importing units, studios and people from a spreadsheet: the templates, the upload, the job's page
with its progress (polled by htmx) and report, and the confirmation that imports the checked file."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platform_core.http import client_ip
from platform_core.orgs import import_jobs
from platform_core.orgs.imports import COLUMNS, template_sheets
from platform_core.orgs.models import ImportJob
from platform_core.orgs.permissions import is_union_admin
from platform_core.spreadsheets import xlsx_response

from ..import_forms import ImportConfirmForm, ImportUploadForm
from .forms_flow import form_saved, perform

app_name = "imports"

TITLES: dict[str, Promise] = {
    ImportJob.Kind.UNITS: gettext_lazy("Import units"),
    ImportJob.Kind.STUDIOS: gettext_lazy("Import studios"),
    ImportJob.Kind.PEOPLE: gettext_lazy("Import people"),
}
SUMMARIES: dict[str, Promise] = {
    ImportJob.Kind.UNITS: gettext_lazy("Enterprises and their groups, with headcount and union committee."),
    ImportJob.Kind.STUDIOS: gettext_lazy("Studios of your units, with their leaders and members."),
    ImportJob.Kind.PEOPLE: gettext_lazy(
        "Staff accounts, so a studio's leader and members exist before they first sign in."
    ),
}


def _require_admin(request) -> None:
    if not is_union_admin(request.user):
        raise PermissionDenied(_("Only a union admin may import units, studios or people."))


@login_required
def index(request):
    _require_admin(request)
    kinds = [
        {"kind": kind, "title": TITLES[kind], "summary": SUMMARIES[kind]} for kind in ImportJob.Kind.values
    ]
    jobs = import_jobs.import_jobs_of(request.user)[:20]
    return render(request, "frontend/imports/index.html", {"kinds": kinds, "jobs": jobs})


@login_required
def upload(request, kind: str):
    _require_admin(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    created: list[ImportJob] = []
    if request.method == "POST" and form.is_valid():

        def store() -> str:
            created.append(
                import_jobs.import_job_create(
                    actor=request.user,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    ip_address=client_ip(request),
                )
            )
            return _("The file is being checked; nothing is imported until you confirm.")

        if form_saved(request, form, store):
            return redirect("imports:job", pk=created[0].pk)
    context = {"kind": kind, "title": TITLES[kind], "columns": COLUMNS[kind], "form": form}
    return render(
        request, "frontend/imports/upload.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def template(request, kind: str):
    _require_admin(request)
    name = _("%(what)s import template") % {"what": ImportJob.Kind(kind).label}
    return xlsx_response(f"{name}.xlsx", template_sheets(kind))


def _job_context(request, job: ImportJob) -> dict:
    report = job.report or {}
    errors = report.get("errors", [])
    pages: dict[str, str] = {
        ImportJob.Kind.UNITS: "studios:unit",
        ImportJob.Kind.STUDIOS: "studios:detail",
    }
    created_url = pages.get(job.kind)
    return {
        "job": job,
        "title": TITLES[job.kind],
        "percent": import_jobs.import_job_progress(job),
        "report": report,
        "errors": errors,
        "errors_cut": job.error_count > len(errors),
        "rows_cut": job.total_rows > len(report.get("rows", [])),
        "created": [
            {"name": item["name"], "url": reverse(created_url, args=[item["id"]]) if created_url else ""}
            for item in report.get("created", [])
        ],
        "confirm_form": ImportConfirmForm(initial={"sha256": job.sha256}),
        "is_checked": job.status == ImportJob.Status.CHECKED,
        "is_refused": job.status == ImportJob.Status.REFUSED,
        "is_done": job.status == ImportJob.Status.DONE,
        "is_failed": job.status == ImportJob.Status.FAILED,
        "is_importing": job.status == ImportJob.Status.IMPORTING,
        "offers_links": job.status == ImportJob.Status.DONE and job.kind == ImportJob.Kind.PEOPLE,
        "link_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }


@login_required
def job_detail(request, pk: int):
    job = import_jobs.import_job_for(request.user, pk)
    return render(request, "frontend/imports/job.html", _job_context(request, job))


@login_required
def job_progress(request, pk: int):
    """The job's part of its page, which htmx polls while the job runs; opened on its own (no htmx)
    the whole page, not a fragment without title or lang (found by the browser walk)."""
    job = import_jobs.import_job_for(request.user, pk)
    template = "frontend/imports/_job.html" if request.htmx else "frontend/imports/job.html"
    response = render(request, template, _job_context(request, job))
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = import_jobs.import_job_for(request.user, pk)
    form = ImportConfirmForm(request.POST)
    sha256 = form.cleaned_data["sha256"] if form.is_valid() else ""

    def confirm() -> str:
        import_jobs.import_job_confirm(
            actor=request.user, job=job, sha256=sha256, ip_address=client_ip(request)
        )
        return _("Importing the file.")

    return perform(request, confirm, then=reverse("imports:job", args=[job.pk]))


@login_required
def job_links(request, pk: int):
    """The set-password links of the people a file created, as a workbook for their importer."""
    job = import_jobs.import_job_for(request.user, pk)
    if job.kind != ImportJob.Kind.PEOPLE or job.status != ImportJob.Status.DONE:
        raise Http404

    def link_for(uidb64: str, token: str) -> str:
        return request.build_absolute_uri(reverse("accounts:password_set", args=[uidb64, token]))

    rows = import_jobs.import_job_password_links(
        actor=request.user, job=job, link_for=link_for, ip_address=client_ip(request)
    )
    header = [_("Name"), _("Login name"), _("Unit"), _("Set-password link")]
    response = xlsx_response(_("Set-password links.xlsx"), [(_("Set-password links"), [header, *rows])])
    response["Cache-Control"] = "no-store"
    return response


KIND = "(?P<kind>units|studios|people)"
urlpatterns = [
    path("imports/", index, name="index"),
    re_path(rf"^imports/{KIND}/$", upload, name="upload"),
    re_path(rf"^imports/{KIND}/template\.xlsx$", template, name="template"),
    path("imports/jobs/<int:pk>/", job_detail, name="job"),
    path("imports/jobs/<int:pk>/progress/", job_progress, name="progress"),
    path("imports/jobs/<int:pk>/confirm/", job_confirm, name="confirm"),
    path("imports/jobs/<int:pk>/links.xlsx", job_links, name="links"),
]
