"""The Excel (.xlsx) export of bids and scores, built from selectors.export_rows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from platform_core.spreadsheets import workbook_bytes as _workbook_bytes


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    titles = {"bids": _("Bids"), "scores": _("Scores")}
    return _workbook_bytes([(str(titles.get(key, key)), rows) for key, rows in sheets.items()])
