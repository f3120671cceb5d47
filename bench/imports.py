"""Spreadsheet import benchmark: the time to check and to import 5,000 rows of people, units and
studios, each from one .xlsx generated here (docs/union.md, "Importing from Excel").

    make bench-import                                   # SQLite, 5,000 rows of each
    make bench-import BENCH_ARGS="--rows 20000"
    make bench-import BENCH_ARGS="--database postgres://postgres@127.0.0.1:5432/jb_bench"

It runs the import service the API and the page's worker run (`import_file`): the file read in
openpyxl's read-only mode, every row checked against the database and the rows above it, then written
with bulk_create in one transaction. People come first (the studios' leaders and members are named
by their e-mails), then units (one in ten under a unit defined earlier in the same file), then
studios in those units. Each run uses fresh names, so it can be repeated on the same database.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench-import.sqlite3"


def setup(database: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="platform_core.settings",
        DEBUG="1",
        DATABASE_URL=database,
        PRIVATE_MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-import-"),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sheets(rows: int, tag: str, group: str) -> dict[str, bytes]:
    from platform_core.orgs.imports import COLUMNS
    from platform_core.spreadsheets import workbook_bytes

    def book(kind: str, body: list[list]) -> bytes:
        return workbook_bytes([(kind, [[column.header for column in COLUMNS[kind]], *body])])

    people = [
        [f"职工{n}", group, "技师", f"139{n:08d}"[-11:], f"p{n}.{tag}@example.com", 1970 + n % 30, ""]
        for n in range(rows)
    ]
    units = [
        [
            f"单位{tag}-{n}",
            "企业",
            f"单位{tag}-{n - n % 10}" if n % 10 else group,
            "电力",
            "北京",
            300 + n % 700,
            "是",
            "",
        ]
        for n in range(rows)
    ]
    studios = [
        [
            f"工作室{tag}-{n}",
            f"单位{tag}-{n}",
            "技能技术型",
            "基层",
            f"p{n}.{tag}@example.com",
            f"p{(n + 1) % rows}.{tag}@example.com、p{(n + 2) % rows}.{tag}@example.com",
            "2024-01-01",
            "检修、带电作业",
            "",
        ]
        for n in range(rows)
    ]
    return {
        "people": book("people", people),
        "units": book("units", units),
        "studios": book("studios", studios),
    }


def run(rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from platform_core.orgs.import_jobs import import_file
    from platform_core.orgs.models import ImportJob, Unit
    from platform_core.spreadsheets import XLSX_CONTENT_TYPE

    admin, _created = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"is_superuser": True, "is_staff": True}
    )
    group, _created = Unit.objects.get_or_create(name="基准集团", defaults={"kind": Unit.Kind.GROUP})
    tag = f"{int(time.time())}"
    started = time.perf_counter()
    files = sheets(rows, tag, group.name)
    print(f"generated 3 files of {rows:,} rows in {time.perf_counter() - started:.1f} s")
    print(f"\n{connection.vendor}: {rows:,} rows per file")
    print(f"{'kind':<10}{'file KB':>10}{'check s':>10}{'import s':>10}{'rows/s':>10}")
    for kind in ("people", "units", "studios"):
        content = files[kind]

        def send(dry_run: bool, kind: str = kind, content: bytes = content) -> tuple[float, ImportJob]:
            upload = SimpleUploadedFile(f"{kind}.xlsx", content, content_type=XLSX_CONTENT_TYPE)
            began = time.perf_counter()
            job = import_file(actor=admin, kind=kind, upload=upload, dry_run=dry_run)
            return time.perf_counter() - began, job

        check_s, checked = send(True)
        import_s, imported = send(False)
        if imported.status != ImportJob.Status.DONE:
            raise SystemExit(
                f"{kind}: {checked.status}/{imported.status}: {imported.report.get('errors', [])[:5]}"
            )
        size_kb = len(content) / 1024
        print(f"{kind:<10}{size_kb:>10.0f}{check_s:>10.2f}{import_s:>10.2f}{rows / import_s:>10,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--database", default=f"sqlite:///{DB_PATH}")
    arguments = parser.parse_args()
    setup(arguments.database)
    run(arguments.rows)


if __name__ == "__main__":
    main()
