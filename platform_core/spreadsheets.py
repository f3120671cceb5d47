"""Spreadsheets in and out, written once for every export and import of the platform.

Exports never write a cell a spreadsheet program would execute: text that starts like a formula is
stored with a leading apostrophe (shown as typed, never run). Imports refuse such cells instead
(`formula_like`), so a file cannot plant one that a later export or a person's own Excel would run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Spreadsheet programs run a cell that starts with one of these as a formula (OWASP CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A telephone number or a signed figure is data, not a formula: +86 10 1234 5678, -12.5, +3%.
_PLAIN_SIGNED = re.compile(r"^[+-][\d\s().%/-]*$")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would evaluate this cell: `=…`, or `+`, `-`, `@` (or a tab or carriage
    return) before anything that is not a plain number or phone number."""
    stripped = text.lstrip(" ")
    if not stripped.startswith(_FORMULA_PREFIXES):
        return False
    return not (stripped[0] in "+-" and _PLAIN_SIGNED.match(stripped))


def safe_cell(value: Any) -> Any:
    """One value as an export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        # A person reads the sheet: 是/否 in the platform's language, never Python's True/False.
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        # Shown in the platform's zone, without a zone (Excel has none).
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, date)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        # Stored as typed, shown as text: "=HYPERLINK(...)" must not run in the reader's Excel.
        return "'" + text
    return text


def workbook_bytes(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx with one sheet per (title, rows); the first row of each is its header."""
    workbook = Workbook()
    for index, (title, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = str(title)[:31]
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text as such."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_text(safe_cell(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def download_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266 / 5987: the Chinese name survives in every browser, the ASCII fallback elsewhere.
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "export"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> HttpResponse:
    return download_response(workbook_bytes(sheets), filename, XLSX_CONTENT_TYPE)


def csv_response(filename: str, rows: Iterable[Sequence[Any]]) -> HttpResponse:
    return download_response(csv_bytes(rows), filename, "text/csv; charset=utf-8")
