"""The import pages and the API: a template to download, an upload that is checked with its progress
shown, a preview and report, and the confirmation that imports exactly the checked file."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from platform_core.orgs.imports import COLUMNS
from platform_core.orgs.models import ImportJob, Studio, Unit
from tests.conftest import as_user
from tests.orgs.imports_helpers import headers, sheet, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_JOBS_INLINE = True


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", ["units", "studios", "people"])
def test_the_template_has_chinese_headers_an_example_row_and_notes(cast, kind):
    response = login(cast.admin).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    first, notes = workbook.worksheets
    rows = list(first.iter_rows(values_only=True))
    assert list(rows[0]) == headers(kind) and len(rows) == 2
    assert rows[1][0]  # the example
    assert [row[0] for row in notes.iter_rows(min_row=2, values_only=True)][: len(COLUMNS[kind])] == headers(
        kind
    )


def test_the_example_row_of_the_template_is_a_valid_row(cast, tmp_path):
    """What the template shows is what the check accepts (the example names the cast's units and people)."""
    client = login(cast.superadmin)
    for kind in ("units", "studios", "people"):
        content = client.get(reverse("imports:template", args=[kind])).content
        with translation.override("en"):
            from platform_core.orgs.import_jobs import import_file

            job = import_file(actor=cast.superadmin, kind=kind, upload=upload(content), dry_run=True)
        assert job.status == ImportJob.Status.CHECKED, (kind, job.report["errors"])


def test_only_union_admins_reach_the_import_pages(cast):
    for user in (cast.leader1, cast.poster, cast.expert):
        assert login(user).get(reverse("imports:index")).status_code == 403
        assert login(user).get(reverse("imports:upload", args=["units"])).status_code == 403
    assert login(cast.admin).get(reverse("imports:index")).status_code == 200


def test_the_profile_offers_the_imports_only_to_who_may_import(cast):
    link = f'href="{reverse("imports:index")}"'
    for user in (cast.leader1, cast.poster, cast.expert):
        assert link not in login(user).get(reverse("accounts:profile")).content.decode()
    for user in (cast.admin, cast.superadmin):
        assert link in login(user).get(reverse("accounts:profile")).content.decode()


def test_upload_preview_confirm_and_report(cast, django_capture_on_commit_callbacks):
    client = login(cast.admin)
    content = sheet("units", {"name": "页面单位", "parent": "集团G", "headcount": 350})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["units"]), {"file": upload(content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "页面单位" in page and f'value="{job.sha256}"' in page
    assert not Unit.objects.filter(name="页面单位").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[job.pk]), {"sha256": job.sha256})
    assert response.status_code == 302
    unit = Unit.objects.get(name="页面单位")
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert reverse("studios:unit", args=[unit.pk]) in page
    # The history lists it.
    assert "导入.xlsx" in client.get(reverse("imports:index")).content.decode()


def test_a_refused_file_shows_each_bad_row(cast, django_capture_on_commit_callbacks):
    client = login(cast.admin)
    content = sheet("units", {"name": "好单位", "parent": "集团G"}, {"name": "坏单位", "parent": "不存在"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["units"]), {"file": upload(content)})
    page = client.get(response["Location"]).content.decode()
    assert "<td>3</td><td>上级单位</td>" in page
    assert 'action="' + reverse("imports:confirm", args=[ImportJob.objects.get().pk]) not in page
    assert not Unit.objects.filter(name="好单位").exists()


def test_the_progress_bar_while_the_file_is_checked(cast):
    job = ImportJob.objects.create(
        kind="units",
        actor=cast.admin,
        filename="大.xlsx",
        sha256="0" * 64,
        size=10,
        total_rows=5000,
        processed_rows=1250,
    )
    html = login(cast.admin).get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert re.search(r'<progress[^>]*role="progressbar"[^>]*aria-valuenow="25"', html), html
    assert (
        f'hx-get="{reverse("imports:progress", args=[job.pk])}"' in html and 'hx-trigger="every 1s"' in html
    )
    job.status = ImportJob.Status.CHECKED
    job.save()
    html = login(cast.admin).get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "progressbar" not in html and "hx-trigger" not in html


def test_someone_elses_import_is_not_found(cast):
    job = ImportJob.objects.create(kind="units", actor=cast.admin, filename="a.xlsx", sha256="0" * 64, size=1)
    for name in ("imports:job", "imports:progress"):
        assert login(cast.admin2).get(reverse(name, args=[job.pk])).status_code == 404
    assert login(cast.admin2).post(reverse("imports:confirm", args=[job.pk])).status_code == 404


def test_a_refused_upload_is_shown_again_with_the_error_beside_the_file(cast):
    response = login(cast.admin).post(
        reverse("imports:upload", args=["units"]), {"file": upload(b"a,b", name="表.xls")}
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = re.search(r'<div class="field has-error">.*?</div>', html, flags=re.S)
    assert block and 'name="file"' in block.group(0) and 'class="error"' in block.group(0)
    assert not ImportJob.objects.exists()


# --- the API ------------------------------------------------------------------------------------------


def test_api_dry_run_then_real(cast, api):
    as_user(api, cast.admin)
    url = reverse("api-import", args=["studios"])
    content = sheet("studios", {"name": "接口工作室", "unit": "单位B", "type": "管理型", "leader": "leader2"})
    answer = api.post(url, {"file": upload(content), "dry_run": "true"}, format="multipart")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["ok"] and body["dry_run"] and body["row_count"] == 1 and body["created_count"] == 0
    assert body["rows"][0]["values"][0] == "接口工作室"
    assert not Studio.objects.filter(name="接口工作室").exists()
    answer = api.post(url, {"file": upload(content)}, format="multipart")
    assert answer.status_code == 201
    studio = Studio.objects.get(name="接口工作室")
    assert answer.json()["created"] == [{"id": studio.pk, "name": "接口工作室"}]
    # The same file again: every row is now a duplicate, nothing written, each named.
    answer = api.post(url, {"file": upload(content)}, format="multipart")
    assert answer.status_code == 400
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(2, "工作室名称")]
    assert Studio.objects.filter(name="接口工作室").count() == 1


def test_api_refuses_who_is_no_admin_and_what_is_out_of_scope(cast, api):
    content = sheet("units", {"name": "接口单位", "parent": "集团G"})
    as_user(api, cast.leader1)
    assert api.post(reverse("api-import", args=["units"]), {"file": upload(content)}).status_code == 403
    as_user(api, cast.admin2)
    answer = api.post(reverse("api-import", args=["units"]), {"file": upload(content)})
    assert answer.status_code == 400 and answer.json()["errors"][0]["column"] == "上级单位"
    assert not Unit.objects.filter(name="接口单位").exists()
    assert api.get(reverse("api-import-template", args=["units"])).status_code == 200


# --- first sign-in of imported people ------------------------------------------------------------------


def test_imported_people_set_their_first_password_from_the_importers_links(
    cast, django_capture_on_commit_callbacks
):
    from django.contrib.auth import authenticate, get_user_model

    from platform_core.audit.models import AuditEntry

    client = login(cast.admin)
    content = sheet(
        "people",
        {"name": "新职工", "unit": "单位A", "email": "xin@example.com"},
        {"name": "另一位", "unit": "单位B", "phone": "13312345678"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["people"]), {"file": upload(content)})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]), {"sha256": job.sha256})
    assert reverse("imports:links", args=[job.pk]) in client.get(response["Location"]).content.decode()
    # Only the importer, only for people, only once imported.
    assert login(cast.admin2).get(reverse("imports:links", args=[job.pk])).status_code == 404
    answer = client.get(reverse("imports:links", args=[job.pk]))
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    rows = list(
        load_workbook(io.BytesIO(answer.content)).worksheets[0].iter_rows(min_row=2, values_only=True)
    )
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("新职工", "xin@example.com", "单位A"),
        ("另一位", "13312345678", "单位B"),
    ]
    assert AuditEntry.objects.filter(action="import.links", actor=cast.admin).count() == 1
    # The person opens their link (anonymous), sets a password, and signs in with it.
    person = Client()
    link = rows[0][3].removeprefix("http://testserver")
    form_page = person.get(link, follow=True)
    assert form_page.status_code == 200 and "xin@example.com" in form_page.content.decode()
    done = person.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Xin-2026-pass!", "new_password2": "Xin-2026-pass!"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_set_done")
    assert authenticate(
        username="xin@example.com", password="Xin-2026-pass!"
    ) == get_user_model().objects.get(username="xin@example.com")
    # The link worked once; the next file of links leaves out who has a password now.
    assert Client().get(link, follow=True).context["validlink"] is False
    answer = client.get(reverse("imports:links", args=[job.pk]))
    rows = list(
        load_workbook(io.BytesIO(answer.content)).worksheets[0].iter_rows(min_row=2, values_only=True)
    )
    assert [row[1] for row in rows] == ["13312345678"]


def test_no_links_for_an_import_of_units(cast, django_capture_on_commit_callbacks):
    client = login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=["units"]),
            {"file": upload(sheet("units", {"name": "甲", "parent": "集团G"}))},
        )
    job = ImportJob.objects.get()
    assert client.get(reverse("imports:links", args=[job.pk])).status_code == 404
