"""Spreadsheet imports as jobs: the file is stored as sent and named by its hash, checked in the
background (the preview, with its progress), and imported only when its importer confirms that same
file, by its hash; the import checks every row again inside the transaction that writes them.

The page runs the check and the import in a worker thread of the web process, started once the
upload is committed; the page polls the job for its progress. The API runs both in the request
(`import_file`). A job whose thread died with its process is failed by the periodic step
(`fail_stale_jobs`), so its page stops waiting.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.notifications.services import notify
from platform_core.spreadsheets import SpreadsheetError, read_table
from platform_core.uploads import IMPORT

from . import events, permissions
from .imports import Report, check_and_write
from .models import ImportJob

logger = logging.getLogger(__name__)

# Rows one file may hold (IMPORT_MAX_ROWS); larger files are split by the person importing.
DEFAULT_MAX_ROWS = 20_000
# The page shows the rows and errors of the report up to these counts (the API returns them all).
STORED_ROWS = 200
STORED_ERRORS = 500
# A job that has not moved for this long lost its worker (its process ended): it is failed.
STALE_AFTER = 30 * 60
_PROGRESS_EVERY = 0.3  # seconds between two saves of the progress


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _require_admin(actor) -> None:
    if not permissions.can_import(actor):
        raise PermissionDenied(_("Only a union admin may import units, studios or people."))


def import_jobs_of(user):
    """The imports a person made, newest first (only their own)."""
    return ImportJob.objects.filter(actor=user).order_by("-created_at")


def import_job_for(user, pk: int) -> ImportJob:
    """One of the viewer's own imports; anyone else's is the same 404 as a missing one."""
    if not user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(import_jobs_of(user), pk=pk)


def _job_url(job: ImportJob) -> str:
    return f"/imports/jobs/{job.pk}/"


def import_job_create(
    *, actor, kind: str, upload, ip_address: str | None = None, background: bool = True
) -> ImportJob:
    """Store an uploaded file as a new job and (when `background`) start checking it once committed."""
    _require_admin(actor)
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": _("Choose units, studios or people.")})
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    # The upload policy's one rule: a clean name, not empty, .xlsx or .csv within the size, and
    # content that is what the name says (a workbook is a zip; never markup). The reading of the
    # file (spreadsheets.read_table) then checks that the zip is a workbook and no zip bomb.
    name = IMPORT.admit(upload)
    content = b"".join(upload.chunks())
    IMPORT.check(name, len(content))  # the size read, not the size declared
    job = ImportJob(
        kind=kind,
        actor=actor,
        filename=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    with transaction.atomic():
        job.file.save(name, ContentFile(content), save=False)
        job.save()
        if background:
            transaction.on_commit(partial(_start, job.pk, write=False))
    return job


def import_job_confirm(*, actor, job: ImportJob, sha256: str, ip_address: str | None = None) -> ImportJob:
    """Import the file that was checked: the page sends back the hash it showed, and the stored file
    must still have it."""
    _require_admin(actor)
    if job.actor_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded this file may import it."))
    if sha256 != job.sha256 or _stored_content(job) is None:
        raise ValidationError({"sha256": _("This is not the file that was checked; upload it again.")})
    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORTING, processed_rows=0, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("This file is not waiting to be imported."))
        transaction.on_commit(partial(_start, job.pk, write=True))
    job.refresh_from_db()
    return job


def import_file(*, actor, kind: str, upload, dry_run: bool, ip_address: str | None = None) -> ImportJob:
    """The API's import: stored as a job like the page's, checked (and imported unless `dry_run`)
    within the request."""
    job = import_job_create(actor=actor, kind=kind, upload=upload, ip_address=ip_address, background=False)
    return import_job_run(job.pk, write=not dry_run, tell=False, ip_address=ip_address)


def _stored_content(job: ImportJob) -> bytes | None:
    """The stored file, or None when it is gone or no longer the file that was checked."""
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
    except (OSError, ValueError):
        return None
    return content if hashlib.sha256(content).hexdigest() == job.sha256 else None


def _start(job_id: int, *, write: bool) -> None:
    if getattr(settings, "IMPORT_JOBS_INLINE", False):
        import_job_run(job_id, write=write)
        return
    threading.Thread(
        target=_run_in_thread, args=(job_id, write), name=f"import-job-{job_id}", daemon=True
    ).start()


def _run_in_thread(job_id: int, write: bool) -> None:
    try:
        import_job_run(job_id, write=write)
    finally:
        connection.close()


def _progress_key(job_id: int) -> str:
    return f"orgs:import-progress:{job_id}"


class _ProgressRecorder:
    """Saves how far a job is, at most every _PROGRESS_EVERY seconds: on the job's row while
    checking, and in the cache too, which is what the page reads while the rows are being written
    (inside a transaction the row's changes are seen by nobody until it commits)."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < _PROGRESS_EVERY:
            return
        self.last = now
        cache.set(_progress_key(self.job.pk), (self.job.status, done), timeout=STALE_AFTER)
        if not connection.in_atomic_block:
            self.job.processed_rows = done
            self.job.save(update_fields=["processed_rows", "updated_at"])


def import_job_progress(job: ImportJob) -> int:
    """How far the job is, in percent (the check counts its rows once, an import checks and writes
    each: twice)."""
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.CHECKED, ImportJob.Status.REFUSED):
        return 100
    steps = job.total_rows * (2 if job.status == ImportJob.Status.IMPORTING else 1)
    if not steps:
        return 0
    done = job.processed_rows
    cached = cache.get(_progress_key(job.pk))
    if cached and cached[0] == job.status:
        done = max(done, cached[1])
    return min(99, done * 100 // steps)


def import_job_run(
    job_id: int, *, write: bool, tell: bool = True, ip_address: str | None = None
) -> ImportJob:
    """Check the job's file, and import it when `write` and every row passes; the outcome and the
    report are saved on the job, its importer notified (`tell`). Never raises: a fault fails the job."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    job.status = ImportJob.Status.IMPORTING if write else ImportJob.Status.CHECKING
    try:
        content = _stored_content(job)
        if content is None:
            raise SpreadsheetError(_("The stored file has changed since it was uploaded; upload it again."))
        table = read_table(content, job.filename, max_rows=max_rows())
        job.total_rows = len(table.rows)
        job.save(update_fields=["status", "total_rows", "updated_at"])
        # A check reads only, its progress saved on the job's row as it goes; an import checks and
        # writes in one transaction (its progress in the cache, which others see at once).
        with transaction.atomic() if write else contextlib.nullcontext():
            report = check_and_write(
                actor=job.actor, kind=job.kind, table=table, write=write, progress=_ProgressRecorder(job)
            )
            if not report.ok:
                status = ImportJob.Status.REFUSED
            else:
                status = ImportJob.Status.DONE if write else ImportJob.Status.CHECKED
            _finish(job, report, status)
            if status == ImportJob.Status.DONE:
                audit_record(
                    actor=job.actor,
                    action=events.IMPORT_DONE,
                    target=job,
                    ip_address=ip_address,
                    data={
                        "kind": job.kind,
                        "file": job.filename,
                        "sha256": job.sha256,
                        "rows": job.total_rows,
                        "created": job.created_count,
                    },
                )
            if tell:
                _tell(job)
    except SpreadsheetError as error:
        _refuse_file(job, str(error), tell=tell)
    except IntegrityError:
        # Another write took a name of the file while it was being imported: nothing was written.
        _refuse_file(job, _("The platform changed while the file was imported; check it again."), tell=tell)
    except Exception:
        logger.exception("import job %s failed", job_id)
        job.status = ImportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "updated_at"])
        if tell:
            _tell(job)
    return job


def _finish(job: ImportJob, report: Report, status: str) -> None:
    job.status = status
    job.report = report.as_dict(row_limit=STORED_ROWS, error_limit=STORED_ERRORS)
    if job.kind == ImportJob.Kind.PEOPLE:
        # Every account the file created, for their set-password links (import_job_password_links).
        job.report["created_ids"] = [pk for pk, _name in report.created]
    job.total_rows = len(report.rows)
    job.processed_rows = len(report.rows)
    job.error_count = len(report.errors)
    job.created_count = len(report.created)
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "report",
            "total_rows",
            "processed_rows",
            "error_count",
            "created_count",
            "finished_at",
            "updated_at",
        ]
    )
    # The report the API returns in full; the job keeps the first rows and errors of it.
    job.full_report = report  # type: ignore[attr-defined]


def _refuse_file(job: ImportJob, message: str, *, tell: bool) -> None:
    report = Report(kind=job.kind, file_errors=[(1, "", message)])
    with transaction.atomic():
        _finish(job, report, ImportJob.Status.REFUSED)
        if tell:
            _tell(job)


def _tell(job: ImportJob) -> None:
    """The importer learns (live, through the notification) that their file is checked or imported."""
    kinds: dict[str, str] = {
        ImportJob.Status.DONE: events.IMPORT_DONE,
        ImportJob.Status.CHECKED: events.IMPORT_CHECKED,
        ImportJob.Status.REFUSED: events.IMPORT_REFUSED,
    }
    kind = kinds.get(job.status, events.IMPORT_FAILED)
    name = job.filename
    count = job.created_count
    with platform_language():
        if kind == events.IMPORT_DONE:
            title = lambda: _("%(file)s is imported: %(count)s rows") % {"file": name, "count": count}  # noqa: E731
        elif kind == events.IMPORT_CHECKED:
            title = lambda: _("%(file)s is checked and ready to import") % {"file": name}  # noqa: E731
        elif kind == events.IMPORT_REFUSED:
            title = lambda: _("%(file)s was refused: see the report") % {"file": name}  # noqa: E731
        else:
            title = lambda: _("%(file)s could not be imported") % {"file": name}  # noqa: E731
        notify([job.actor], kind=kind, title=title, url=_job_url(job))


def fail_stale_jobs(now) -> int:
    """Fail the jobs whose worker ended with its process (a restart mid-check): their page stops
    waiting, and the file can be sent again."""
    cutoff = now - datetime.timedelta(seconds=STALE_AFTER)
    return ImportJob.objects.filter(status__in=ImportJob.RUNNING, updated_at__lt=cutoff).update(
        status=ImportJob.Status.FAILED, finished_at=now
    )


def import_job_password_links(
    *, actor, job: ImportJob, link_for, ip_address: str | None = None
) -> list[list[str]]:
    """The set-password links of the people a file created, for their importer to hand out: (name,
    login, unit, link) of each who has not set a password yet. A link works once, until the person
    sets a password, and for PASSWORD_RESET_TIMEOUT (Django's password-reset token); `link_for(uidb64,
    token)` makes its absolute URL. Each download is audited."""
    _require_admin(actor)
    if job.actor_id != actor.pk or job.kind != ImportJob.Kind.PEOPLE or job.status != ImportJob.Status.DONE:
        raise PermissionDenied(_("Only the importer of people may have their set-password links."))
    User = get_user_model()
    ids = job.report.get("created_ids", [])
    people = User.objects.filter(pk__in=ids, is_active=True).select_related("unit").order_by("pk")
    rows = [
        [
            str(person),
            person.username,
            str(person.unit or ""),
            link_for(
                urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)
            ),
        ]
        for person in people
        if not person.has_usable_password()
    ]
    audit_record(
        actor=actor,
        action=events.IMPORT_LINKS,
        target=job,
        ip_address=ip_address,
        data={"links": len(rows)},
    )
    return rows
