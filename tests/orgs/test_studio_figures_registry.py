"""The core's registry of per-studio figures: apps register, the core reads without importing them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from platform_core.orgs import figures
from platform_core.orgs.standards import Standard


@pytest.fixture
def registered():
    calls: list[list[int]] = []

    def compute(ids):
        calls.append(list(ids))
        return {pk: pk * 10 for pk in ids if pk % 2}

    figures.register_studio_figure(
        figures.StudioFigure(
            key="test_things", label="things", compute=compute, standard=Standard.TALENT, order=-1
        )
    )
    figures.register_studio_figure(
        figures.StudioFigure(
            key="test_money", label="money", compute=lambda ids: {1: Decimal("2.5")}, unit="amount"
        )
    )
    yield calls
    figures.unregister_studio_figure("test_things")
    figures.unregister_studio_figure("test_money")


@pytest.mark.django_db  # the domains' own figures, registered at start-up, are computed as well
def test_one_compute_call_for_many_studios_and_zero_where_nothing_counted(registered):
    values = figures.studio_domain_figures([1, 2, 3, 2])
    assert registered == [[1, 2, 3]]
    assert values[1]["test_things"] == 10 and values[3]["test_things"] == 30
    assert values[2]["test_things"] == 0
    assert values[1]["test_money"] == Decimal("2.5") and values[2]["test_money"] == Decimal(0)


def test_registering_a_key_twice_or_an_unknown_unit_is_refused(registered):
    with pytest.raises(ImproperlyConfigured):
        figures.register_studio_figure(figures.StudioFigure(key="test_things", label="x", compute=dict))
    with pytest.raises(ImproperlyConfigured):
        figures.register_studio_figure(
            figures.StudioFigure(key="test_other", label="x", compute=dict, unit="kg")
        )


def test_registered_figures_come_in_their_order(registered):
    keys = [figure.key for figure in figures.registered_studio_figures()]
    assert keys.index("test_things") < keys.index("test_money")


def test_formula_cells_are_refused_on_import_but_phone_numbers_and_signed_figures_stay():
    from platform_core.spreadsheets import formula_like, safe_cell

    for cell in (
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "+SUM(A1:A2)",
        "-2+cmd|' /C calc'!A0",
        "@SUM(1)",
        "\t=1",
    ):
        assert formula_like(cell), cell
    for cell in ("+86 10 1234 5678", "-12.5", "+3%", "(010) 1234-5678", "张三", ""):
        assert not formula_like(cell), cell
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+86 10") == "'+86 10" and safe_cell(None) == ""
