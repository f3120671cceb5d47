"""Spreadsheets in and out, written once for every export and import of the platform.

Exports never write a cell a spreadsheet program would execute: text that starts like a formula is
stored with a leading apostrophe (shown as typed, never run). Imports refuse such cells instead
(`formula_like`), so a file cannot plant one that a later export or a person's own Excel would run.

Reading (`read_table`) is bounded: an .xlsx is checked to be a workbook and not a zip bomb before
openpyxl parses it in read-only mode (its formula cells come back as their formula text, never
evaluated); a CSV may be UTF-8 or GBK; the number of rows and columns read is capped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

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


# --- Reading ----------------------------------------------------------------------------------------

# An .xlsx is a zip of XML, which compresses about tenfold: a workbook that unpacks to more than
# this, or any part packed more tightly than _MAX_RATIO, is a zip bomb, refused before it is parsed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_MAX_RATIO = 200
# Columns read from each row: a template has a dozen; a sheet padded to 16,384 columns is not read.
MAX_COLUMNS = 40
_CELL_TYPES = (str, int, float, bool, date, datetime, time)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read as a table (its message is for the person who sent it)."""


@dataclass
class Table:
    """The first sheet of a file: its header row, and every non-empty row below it with its
    number as the spreadsheet shows it (the header is row 1)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def read_table(content: bytes, filename: str, *, max_rows: int) -> Table:
    """An .xlsx (read in openpyxl's read-only mode, so memory stays bounded) or a .csv (UTF-8, with
    or without a byte-order mark, or GBK as Chinese Excel saves it). Formula cells come back as
    their formula text (`=SUM(A1:A3)`), never evaluated, for the importer to refuse. More than
    `max_rows` rows, a file that is not what its name says, or a zip bomb: SpreadsheetError."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(content)
    elif suffix == ".csv":
        rows = _csv_rows(content)
    else:
        raise SpreadsheetError(_("Send an Excel workbook (.xlsx) or a CSV file."))
    table: Table | None = None
    for number, cells in rows:
        values = [_cell_value(value) for value in cells[:MAX_COLUMNS]]
        if not any(value not in (None, "") for value in values):
            continue
        if table is None:
            table = Table(headers=[_header(value) for value in values])
            continue
        if len(table.rows) >= max_rows:
            raise SpreadsheetError(
                _("The file has more than %(count)s rows; split it into several files.") % {"count": max_rows}
            )
        table.rows.append((number, values))
    if table is None:
        raise SpreadsheetError(_("The file is empty: the first row must name the columns."))
    return table


def _header(value: Any) -> str:
    # "单位名称*" and " 单位名称 " both name the column 单位名称.
    return str(value or "").strip().rstrip("*＊").strip()


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, _CELL_TYPES):
        return value.strip() if isinstance(value, str) else value
    # An array or data-table formula (openpyxl gives an object): its text, which starts with "=".
    text = str(getattr(value, "text", "") or value)
    return text if text.startswith("=") else "=" + text


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    not_a_workbook = SpreadsheetError(_("This file is not an Excel workbook (.xlsx)."))
    if not content.startswith(b"PK\x03\x04"):
        raise not_a_workbook
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise not_a_workbook from error
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_a_workbook
    unpacked = sum(part.file_size for part in parts)
    packed_tight = any(
        part.file_size > 1024 * 1024 and part.file_size > _MAX_RATIO * max(part.compress_size, 1)
        for part in parts
    )
    if unpacked > MAX_UNPACKED_BYTES or packed_tight:
        raise SpreadsheetError(_("This workbook unpacks to far more than its size; it is not read."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise not_a_workbook from error
    try:
        sheet = workbook.worksheets[0]
        # A damaged part may fail only when its rows are read: still "not a workbook".
        yield from enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1)
    except SpreadsheetError:
        raise
    except Exception as error:
        raise not_a_workbook from error
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    if b"\x00" in content[:4096]:
        raise SpreadsheetError(_("This file is not a CSV text file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_("This CSV file is neither UTF-8 nor GBK text.")) from error
    if text.lstrip()[:15].lower().startswith(("<!doctype", "<html", "<?xml")):
        raise SpreadsheetError(_("This file is a web page, not a CSV file."))
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as error:
        raise SpreadsheetError(_("This CSV file cannot be read: %(error)s") % {"error": error}) from error
