"""Units, studios and people from a spreadsheet, below the browser: every refusal names its row and
column, a file with any bad row writes nothing, an admin imports only within their scope, and the
number of queries does not grow with the number of rows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from platform_core.orgs import import_jobs
from platform_core.orgs.models import ImportJob, Studio, StudioMembership, Unit
from platform_core.spreadsheets import MAX_UNPACKED_BYTES
from platform_core.uploads import IMPORT
from tests.orgs.imports_helpers import headers, sheet, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_JOBS_INLINE = True


def run(actor, kind: str, content: bytes, *, dry_run: bool = False, name: str = "导入.xlsx") -> ImportJob:
    with translation.override("en"):
        job = import_jobs.import_file(actor=actor, kind=kind, upload=upload(content, name), dry_run=dry_run)
    job.refresh_from_db()
    return job


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(error["row"], error["column"], error["message"]) for error in job.report["errors"]]


# --- units --------------------------------------------------------------------------------------------


def test_units_import_with_a_parent_defined_earlier_in_the_file(cast):
    content = sheet(
        "units",
        {"name": "新集团", "kind": "集团", "region": "北京"},
        {"name": "新分公司", "parent": "新集团", "headcount": 420, "has_union_committee": "是"},
        {"name": "新车间", "parent": "新分公司", "headcount": "35"},
    )
    job = run(cast.superadmin, "units", content)
    assert job.status == ImportJob.Status.DONE, job.report
    branch = Unit.objects.get(name="新分公司")
    assert branch.parent.name == "新集团" and branch.headcount == 420 and branch.has_union_committee
    assert Unit.objects.get(name="新车间").parent == branch
    assert Unit.objects.get(name="新集团").kind == Unit.Kind.GROUP
    entry = AuditEntry.objects.get(action="import.done")
    assert entry.actor == cast.superadmin
    assert entry.data["sha256"] == job.sha256 and entry.data["created"] == 3 and entry.data["kind"] == "units"


def test_a_bad_row_at_the_end_leaves_the_database_untouched(cast):
    rows = [{"name": f"单位{n:03d}", "parent": "集团G"} for n in range(40)]
    rows.append({"name": "坏单位", "parent": "集团G", "headcount": "很多"})
    before = Unit.objects.count()
    job = run(cast.admin, "units", sheet("units", *rows))
    assert job.status == ImportJob.Status.REFUSED
    assert errors_of(job) == [(42, "职工人数", "Enter a whole number.")]
    assert Unit.objects.count() == before
    assert not AuditEntry.objects.filter(action="import.done").exists()


def test_each_refusal_names_its_row_and_column(cast):
    content = sheet(
        "units",
        {"name": "甲", "parent": "集团G"},
        {"name": "", "parent": "集团G"},  # required cell missing
        {"name": "乙", "parent": "没有这个单位"},  # unknown parent
        {"name": "甲", "parent": "集团G"},  # duplicate within the file
        {"name": "单位A", "parent": "集团G"},  # duplicate of the database
        {"name": "丙", "parent": "集团G", "kind": "工厂"},  # not a kind
        {"name": "丁", "parent": "集团G", "has_union_committee": "也许"},  # not yes/no
        {"name": "戊", "parent": "集团G", "headcount": -3},  # out of range
        {"name": "己", "parent": "戊"},  # a parent in a LATER row is unknown here
        {"name": "庚", "parent": "庚"},  # its own parent
    )
    with translation.override("en"):
        job = run(cast.admin, "units", content)
    found = errors_of(job)
    assert (3, "单位名称", "This cell is required.") in found
    assert (
        4,
        "上级单位",
        "No unit named 没有这个单位, neither on the platform nor in an earlier row.",
    ) in found
    assert (5, "单位名称", "Also in row 2.") in found
    assert (6, "单位名称", "A unit named 单位A is already on the platform.") in found
    assert any(row == 7 and column == "单位类型" for row, column, _m in found)
    assert (8, "是否建立工会", "Enter 是 or 否.") in found
    assert (9, "职工人数", "Enter a number from 0 to 10000000.") in found
    assert (10, "上级单位", "No unit named 戊, neither on the platform nor in an earlier row.") not in found
    assert (11, "上级单位", "A unit cannot be its own parent.") in found
    assert {row for row, _c, _m in found} == {3, 4, 5, 6, 7, 8, 9, 11}
    assert not Unit.objects.filter(name__in=["甲", "乙"]).exists()


def test_an_admin_imports_only_within_their_groups(cast):
    content = sheet("units", {"name": "H下属单位", "parent": "集团H"}, {"name": "无上级单位"})
    job = run(cast.admin, "units", content)  # admin runs group G only
    assert job.status == ImportJob.Status.REFUSED
    assert [(row, column) for row, column, _m in errors_of(job)] == [(2, "上级单位"), (3, "上级单位")]
    # The admin of group H may import the first row; a unit in their own region needs no parent.
    job = run(cast.admin2, "units", content)
    assert job.status == ImportJob.Status.REFUSED
    assert [row for row, _c, _m in errors_of(job)] == [3]
    assert (
        run(cast.admin2, "units", sheet("units", {"name": "H下属单位", "parent": "集团H"})).created_count == 1
    )


def test_someone_who_is_no_union_admin_may_not_import(cast):
    with pytest.raises(PermissionDenied):
        run(cast.leader1, "units", sheet("units", {"name": "甲", "parent": "单位A"}))
    assert not ImportJob.objects.exists()


def test_formula_cells_are_refused_and_phone_numbers_kept(cast):
    content = xlsx(
        [
            headers("people"),
            ["张伟", "单位A", "班长", "+86 10 1234 5678", "zw@example.com", 1985, ""],
            ['=HYPERLINK("http://evil.example","点击")', "单位A", "", "13800000001", "", None, ""],
            ["李娜", "单位A", "+SUM(A1:A2)", "13800000002", "", None, ""],
            ["王芳", "单位A", "-1+cmd|' /C calc'!A0", "13800000003", "", None, ""],
            ["赵磊", "单位A", "@SUM(A1)", "13800000004", "", None, ""],
        ]
    )
    job = run(cast.admin, "people", content)
    found = errors_of(job)
    formula = "This cell is a formula; type the value itself."
    assert found == [(3, "姓名", formula), (4, "职务", formula), (5, "职务", formula), (6, "职务", formula)]
    # Once the formulas are gone the file goes through, the phone number as typed.
    content = sheet(
        "people",
        {"name": "张伟", "unit": "单位A", "phone": "+86 10 1234 5678", "email": "ZW@example.com"},
        {"name": "钱军", "unit": "单位A", "phone": 13800000009, "birth_year": 1990},
    )
    job = run(cast.admin, "people", content)
    assert job.status == ImportJob.Status.DONE, job.report
    zhang = get_user_model().objects.get(display_name="张伟")
    assert zhang.phone == "+86 10 1234 5678" and zhang.email == "zw@example.com" and zhang.unit == cast.unit_a
    assert zhang.username == "zw@example.com"
    # No one can sign in as an imported person until a password is set.
    assert not zhang.has_usable_password()
    # A phone number the platform's own export wrote after an apostrophe reads as typed.
    content = sheet(
        "people", {"name": "孙丽", "unit": "单位A", "phone": "'+86 21 5555 0000", "job_title": "'=1+1"}
    )
    assert errors_of(run(cast.admin, "people", content)) == [(2, "职务", formula)]
    content = sheet("people", {"name": "孙丽", "unit": "单位A", "phone": "'+86 21 5555 0000"})
    assert run(cast.admin, "people", content).status == ImportJob.Status.DONE
    assert get_user_model().objects.get(display_name="孙丽").phone == "+86 21 5555 0000"
    qian = get_user_model().objects.get(display_name="钱军")
    assert qian.username == "13800000009" and qian.birth_year == 1990


def test_people_duplicates_within_the_file_and_against_the_platform(cast):
    cast.member.email = "member@example.com"
    cast.member.phone = "139 0000 0000"
    cast.member.save()
    content = sheet(
        "people",
        {"name": "甲", "unit": "单位A", "email": "new@example.com"},
        {"name": "乙", "unit": "单位A", "email": "NEW@example.com"},
        {"name": "丙", "unit": "单位A", "email": "member@example.com"},
        {"name": "丁", "unit": "单位A", "phone": "13900000000"},
        {"name": "戊", "unit": "单位A", "phone": "13700000000", "username": "leader1"},
        {"name": "己", "unit": "单位C", "phone": "13600000000"},  # outside admin's groups
        {"name": "庚", "unit": "单位A"},  # neither phone nor e-mail
        {"name": "辛", "unit": "单位A", "phone": "13500000000", "birth_year": 1800},
    )
    found = errors_of(run(cast.admin, "people", content))
    assert (3, "电子邮箱", "Also in row 2.") in found
    assert (4, "电子邮箱", "member@example.com is already used by an account on the platform.") in found
    assert (5, "手机号码", "13900000000 is already used by an account on the platform.") in found
    assert (6, "登录名", "leader1 is already used by an account on the platform.") in found
    assert (7, "所属单位", "单位C is outside the groups and regions you administer.") in found
    assert any(row == 8 and column == "手机号码" for row, column, _m in found)
    assert any(row == 9 and column == "出生年份" for row, column, _m in found)
    assert 2 not in {row for row, _c, _m in found}


# --- studios --------------------------------------------------------------------------------------------


def test_studios_reference_units_by_name_and_people_by_login_phone_or_email(cast):
    cast.outsider.email = "Outsider@Example.com"
    cast.outsider.save()
    cast.member.phone = "138-0000-1111"
    cast.member.save()
    content = sheet(
        "studios",
        {
            "name": "导入工作室",
            "unit": "单位A",
            "type": "科研型",
            "level": "集团级",
            "leader": "leader1",
            "members": "13800001111、outsider@example.com, leader1",
            "founded_on": "2023-05-04",
            "fields": "焊接、检修",
        },
    )
    job = run(cast.admin, "studios", content)
    assert job.status == ImportJob.Status.DONE, job.report
    studio = Studio.objects.get(name="导入工作室")
    assert (studio.unit, studio.leader, studio.type, studio.level) == (
        cast.unit_a,
        cast.leader1,
        Studio.Type.RESEARCH,
        Studio.Level.GROUP,
    )
    roles = dict(StudioMembership.objects.filter(studio=studio).values_list("user__username", "role"))
    assert roles == {"leader1": "leader", "member": "member", "outsider": "member"}
    assert studio.fields == ["焊接", "检修"] and str(studio.founded_on) == "2023-05-04"


def test_studio_refusals(cast):
    cast.expert.is_active = False
    cast.expert.save()
    content = sheet(
        "studios",
        {"name": "工作室一", "unit": "单位A", "type": "技能技术型", "leader": "nobody"},
        {"name": "工作室二", "unit": "单位C", "type": "技能技术型", "leader": "leader1"},
        {"name": "工作室三", "unit": "无此单位", "type": "技能技术型", "leader": "leader1"},
        {"name": cast.studio1.name, "unit": "单位A", "type": "技能技术型", "leader": "leader1"},
        {"name": "工作室五", "unit": "单位A", "type": "天才型", "leader": "leader1", "members": "expert"},
        {"name": "工作室五", "unit": "单位A", "type": "科研型", "leader": "leader1", "founded_on": "去年"},
    )
    found = errors_of(run(cast.admin, "studios", content))
    assert (2, "领衔人", "Nobody on the platform has the login, phone or e-mail nobody.") in found
    assert (3, "所属单位", "单位C is outside the groups and regions you administer.") in found
    assert (4, "所属单位", "No unit named 无此单位 on the platform.") in found
    assert (5, "工作室名称", f"A studio named {cast.studio1.name} is already on the platform.") in found
    assert any(row == 6 and column == "类型" for row, column, _m in found)
    assert (6, "成员", "The account expert is disabled.") in found
    assert (7, "工作室名称", "Also in row 6.") in found
    assert (7, "成立日期", "Enter a date such as 2024-03-01.") in found
    assert Studio.objects.count() == 2


# --- the file ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "伪装.xlsx",
            b"<html><body>not a workbook</body></html>",
            "This file is not an Excel workbook (.xlsx).",
        ),
        ("伪装.xlsx", "单位名称\n甲\n".encode(), "This file is not an Excel workbook (.xlsx)."),
        ("页面.csv", b"<!DOCTYPE html><html></html>", "This file is a web page, not a CSV file."),
        ("空.xlsx", xlsx([]), "The file is empty: the first row must name the columns."),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(cast, name, content, message):
    job = run(cast.admin, "units", content, name=name)
    assert job.status == ImportJob.Status.REFUSED
    assert errors_of(job) == [(1, "", message)]


def test_a_zip_bomb_is_refused_before_it_is_parsed(cast):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < IMPORT.max_bytes
    job = run(cast.admin, "units", buffer.getvalue())
    assert errors_of(job) == [(1, "", "This workbook unpacks to far more than its size; it is not read.")]


def test_an_oversized_or_foreign_file_is_refused_at_the_upload(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        run(cast.admin, "units", b"PK" + b"0" * IMPORT.max_bytes)
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        run(cast.admin, "units", b"a,b", name="表.xls")
    assert not ImportJob.objects.exists()


def test_a_missing_column_is_a_file_error(cast):
    job = run(cast.admin, "units", xlsx([["上级单位"], ["集团G"]]))
    assert errors_of(job) == [(1, "单位名称", "The file has no column 单位名称.")]


def test_csv_in_utf8_and_gbk(cast):
    text = "单位名称,上级单位,职工人数\n中文单位一,集团G,12\n"
    assert run(cast.admin, "units", text.encode("gbk"), name="单位.csv").status == ImportJob.Status.DONE
    text = text.replace("一", "二")
    job = run(cast.admin, "units", ("\ufeff" + text).encode(), name="单位.csv")
    assert job.status == ImportJob.Status.DONE
    assert Unit.objects.get(name="中文单位二").headcount == 12


def test_too_many_rows_are_refused(cast, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = sheet("units", *[{"name": f"单位{n}", "parent": "集团G"} for n in range(4)])
    job = run(cast.admin, "units", content)
    assert errors_of(job) == [(1, "", "The file has more than 3 rows; split it into several files.")]


# --- dry run, confirm, progress ---------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_the_confirmed_file_is_the_checked_one(cast):
    content = sheet("units", {"name": "预览单位", "parent": "集团G"})
    with translation.override("en"):
        job = import_jobs.import_job_create(
            actor=cast.admin, kind="units", upload=upload(content), background=False
        )
        job = import_jobs.import_job_run(job.pk, write=False)
    assert job.status == ImportJob.Status.CHECKED and not Unit.objects.filter(name="预览单位").exists()
    assert import_jobs.import_job_progress(job) == 100
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_jobs.import_job_confirm(actor=cast.admin, job=job, sha256="0" * 64)
    with pytest.raises(PermissionDenied):
        import_jobs.import_job_confirm(actor=cast.superadmin, job=job, sha256=job.sha256)
    # The stored file changed after the check: refused, whatever hash the page sends back.
    with job.file.open("wb") as stored:
        stored.write(sheet("units", {"name": "偷换单位", "parent": "集团G"}))
    with pytest.raises(ValidationError):
        import_jobs.import_job_confirm(actor=cast.admin, job=job, sha256=job.sha256)
    with job.file.open("wb") as stored:
        stored.write(content)
    import_jobs.import_job_confirm(actor=cast.admin, job=job, sha256=job.sha256)
    job.refresh_from_db()
    # IMPORT_JOBS_INLINE: the import ran when the confirmation committed (here: at once, no test
    # transaction commits), so run it as the worker would.
    job = import_jobs.import_job_run(job.pk, write=True)
    assert job.status == ImportJob.Status.DONE and Unit.objects.filter(name="预览单位").exists()
    assert Notification.objects.filter(recipient=cast.admin, kind="import.done").exists()
    with pytest.raises(ValidationError):  # not twice
        import_jobs.import_job_confirm(actor=cast.admin, job=job, sha256=job.sha256)


def test_a_job_checked_then_refused_when_the_platform_changed(cast):
    content = sheet("units", {"name": "后来者", "parent": "集团G"})
    job = import_jobs.import_job_create(
        actor=cast.admin, kind="units", upload=upload(content), background=False
    )
    job = import_jobs.import_job_run(job.pk, write=False)
    assert job.status == ImportJob.Status.CHECKED
    Unit.objects.create(name="后来者", parent=cast.group_g)
    job = import_jobs.import_job_run(job.pk, write=True)
    assert job.status == ImportJob.Status.REFUSED and Unit.objects.filter(name="后来者").count() == 1


def test_the_query_count_does_not_grow_with_the_rows(cast):
    def queries(count: int, kind: str, rows) -> int:
        content = sheet(kind, *rows(count))
        job = import_jobs.import_job_create(
            actor=cast.admin, kind=kind, upload=upload(content), background=False
        )
        with CaptureQueriesContext(connection) as captured:
            done = import_jobs.import_job_run(job.pk, write=True, tell=False)
        assert done.status == ImportJob.Status.DONE, done.report
        return len(captured)

    def units(prefix):
        return lambda count: [{"name": f"{prefix}{n}", "parent": "集团G"} for n in range(count)]

    assert queries(3, "units", units("少")) == queries(60, "units", units("多"))

    def studios(prefix):
        return lambda count: [
            {
                "name": f"{prefix}{n}",
                "unit": "单位A",
                "type": "科研型",
                "leader": "leader1",
                "members": "member",
            }
            for n in range(count)
        ]

    assert queries(3, "studios", studios("少")) == queries(60, "studios", studios("多"))

    def people(prefix):
        return lambda count: [
            {"name": f"人{n}", "unit": "单位B", "email": f"{prefix}{n}@example.com"} for n in range(count)
        ]

    assert queries(3, "people", people("few")) == queries(60, "people", people("many"))


def test_stale_jobs_are_failed(cast):
    from django.utils import timezone

    job = import_jobs.import_job_create(
        actor=cast.admin, kind="units", upload=upload(sheet("units")), background=False
    )
    assert import_jobs.fail_stale_jobs(timezone.now()) == 0
    later = timezone.now() + timezone.timedelta(seconds=import_jobs.STALE_AFTER + 1)
    assert import_jobs.fail_stale_jobs(later) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
