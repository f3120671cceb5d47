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


# Stacked columns over time and a funnel: whole SVG pictures, each with a <title> and a data table
# beside it (frontend/_column_chart.html, frontend/_funnel_chart.html).

SERIES_CLASSES = 6  # .series-0 … .series-5 in site.css


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    value: int


@dataclass
class Column:
    label: str
    x: float  # the centre, for the axis label
    total: int
    total_y: float
    segments: list[Segment]


@dataclass
class ColumnChart:
    width: int
    height: int
    baseline: float
    columns: list[Column]
    legend: list[tuple[int, str]]
    ticks: list[tuple[float, int]]
    # The same figures as a table: a header of the categories, then one row per series.
    header: list[str]
    rows: list[tuple[str, list[int]]]


def _nice_top(value: int) -> int:
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        top = step * magnitude
        if top >= value:
            return top
    return value


def stacked_columns(categories: list[str], series: list[tuple[str, list[int]]]) -> ColumnChart:
    width, height, left, top_margin, bottom = 480, 260, 40, 18, 30
    plot_height = height - top_margin - bottom
    totals = [sum(values[index] for _label, values in series) for index in range(len(categories))]
    top = _nice_top(max(totals, default=0))
    slot = (width - left - 8) / max(len(categories), 1)
    bar = slot * 0.6
    baseline = height - bottom
    columns = []
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - bar) / 2
        y = float(baseline)
        segments = []
        for number, (label, values) in enumerate(series):
            value = values[index]
            if not value:
                continue
            h = plot_height * value / top
            y -= h
            segments.append(
                Segment(
                    round(x, 1),
                    round(y, 1),
                    round(bar, 1),
                    round(h, 1),
                    number % SERIES_CLASSES,
                    label,
                    value,
                )
            )
        columns.append(Column(category, round(x + bar / 2, 1), totals[index], round(y - 4, 1), segments))
    parts = next(n for n in (5, 4, 2, 1) if top % n == 0)
    ticks = [
        (round(baseline - plot_height * step / parts, 1), top * step // parts) for step in range(parts + 1)
    ]
    return ColumnChart(
        width=width,
        height=height,
        baseline=baseline,
        columns=columns,
        legend=[
            (number % SERIES_CLASSES, label) for number, (label, values) in enumerate(series) if any(values)
        ],
        ticks=ticks,
        header=categories,
        rows=[(label, values) for label, values in series],
    )


@dataclass
class FunnelStep:
    label: str
    value: int
    x: float
    y: float
    width: float
    percent: float  # of the first step


@dataclass
class FunnelChart:
    width: int
    height: int
    row_height: int
    steps: list[FunnelStep]


def funnel_chart(rows: list[tuple[str, int]]) -> FunnelChart:
    """Each step a label, then a bar centred under the one before, its width its share of the
    largest step: narrow enough to read on a phone."""
    width, bar_height, step_height = 400, 18, 46
    largest = max((value for _label, value in rows), default=0)
    first = rows[0][1] if rows else 0
    steps = []
    for index, (label, value) in enumerate(rows):
        w = width * value / largest if largest else 0
        w = max(w, 2.0) if value else 0.0
        steps.append(
            FunnelStep(
                label=str(label),
                value=value,
                x=round((width - w) / 2, 1),
                y=index * step_height,
                width=round(w, 1),
                percent=round(100 * value / first, 1) if first else 0.0,
            )
        )
    return FunnelChart(width=width, height=len(rows) * step_height, row_height=bar_height, steps=steps)
