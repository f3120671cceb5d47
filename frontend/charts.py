"""Server-rendered bar charts: SVG geometry computed here, so pages need no chart library and no
inline style (the Content-Security-Policy forbids it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    percent: float  # of the largest bar, 0..100, for the SVG width attribute


def bar_chart(rows: list[tuple[str, int]]) -> list[Bar]:
    largest = max((value for _label, value in rows), default=0)
    return [
        Bar(label=str(label), value=value, percent=round(100 * value / largest, 1) if largest else 0.0)
        for label, value in rows
    ]
