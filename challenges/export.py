"""The Excel (.xlsx) export of bids and scores, built from selectors.export_rows."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, bool):
        # A person reads the sheet: 是/否 in the platform's language, never Python's True/False.
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        # Stored as typed, shown as text: a bidder's "=HYPERLINK(...)" must not run in the poster's Excel.
        return "'" + value
    return value


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    titles = {"bids": _("Bids"), "scores": _("Scores")}
    first = True
    for key, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = str(titles.get(key, key))[:31]
        for row in rows:
            sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
