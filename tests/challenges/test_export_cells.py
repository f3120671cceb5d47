"""The Excel export is read by people: yes/no in words (是/否), not Python's True/False."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import load_workbook

from challenges.export import workbook_bytes
from challenges.lifecycle import State
from challenges.services import reviews
from tests.conftest import as_user


def test_the_shortlisted_column_says_yes_or_no_in_words(world, api):
    challenge = world.in_state(State.UNDER_REVIEW)
    shortlisted = challenge.bids.get(studio=world.cast.studio1)
    reviews.bid_shortlist(actor=world.cast.poster, bid=shortlisted, shortlisted=True)
    response = as_user(api, world.cast.poster).get(
        f"/api/v1/challenges/{challenge.pk}/export.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index(next(title for title in header if title in ("Shortlisted", "入围", "已入围")))
    by_bid = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert not any(isinstance(value, bool) for value in by_bid.values())
    assert set(by_bid.values()) <= {"是", "否", "Yes", "No"}
    assert by_bid[shortlisted.pk] in ("是", "Yes")
    assert all(value in ("否", "No") for pk, value in by_bid.items() if pk != shortlisted.pk)


def test_a_boolean_cell_is_written_in_the_language_in_force():
    with translation.override("zh-hans"):
        sheet = load_workbook(io.BytesIO(workbook_bytes({"bids": [[True, False]]}))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["是", "否"]
