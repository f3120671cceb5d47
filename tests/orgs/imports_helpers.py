"""Spreadsheets built in tests, as a person's Excel would save them (formulas included)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from platform_core.orgs.imports import COLUMNS
from platform_core.spreadsheets import XLSX_CONTENT_TYPE


def headers(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """The rows written as typed: a cell "=SUM(1)" is a formula cell, as Excel stores it."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def sheet(kind: str, *rows: dict[str, Any]) -> bytes:
    """An .xlsx of `kind` with the template's headers, each row given by column key."""
    keys = [column.key for column in COLUMNS[kind]]
    return xlsx([headers(kind), *[[row.get(key) for key in keys] for row in rows]])
