"""Chart geometry for server-rendered SVG: pure functions, no JavaScript, no inline styles.

Each builder returns the shapes in SVG user units; `templates/_macros/charts.html` draws them
and prints the same figures as a table for screen readers and for copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

LABEL_WIDTH = 190  # room for unit names left of horizontal bars
VALUE_WIDTH = 70  # room for the figure right of a bar
ROW_HEIGHT = 26
BAR_THICKNESS = 18
PLOT_HEIGHT = 180
PADDING = 28
SERIES_CLASSES = 6  # .series-0 … .series-5 in app.css


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above `value`, so axes end on round numbers."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = step * 10.0**exponent
        if candidate >= value - 1e-9:
            return candidate
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def series_class(index: int) -> str:
    return f"series-{index % SERIES_CLASSES}"


@dataclass(frozen=True)
class Segment:
    series: str
    value: float
    x: float
    width: float
    css: str


@dataclass(frozen=True)
class BarRow:
    label: str
    total: float
    y: float
    segments: tuple[Segment, ...]
    href: str | None = None


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per label, optionally stacked by series."""

    title: str
    rows: tuple[BarRow, ...]
    series: tuple[str, ...]
    maximum: float
    width: int
    height: int
    plot_width: int
    unit: str = ""
    target: float | None = None
    target_x: float | None = None

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str] = ("",),
    *,
    unit: str = "",
    width: int = 640,
    maximum: float | None = None,
    target: float | None = None,
    links: Sequence[str | None] | None = None,
) -> BarChart:
    """Bars for `rows` of (label, one value per series); stacked when there are several series."""
    plot_width = max(width - LABEL_WIDTH - VALUE_WIDTH, 50)
    totals = [sum(max(v, 0.0) for v in values) for _, values in rows]
    top = maximum if maximum is not None else nice_ceiling(max([*totals, target or 0.0, 0.0]))
    scale = plot_width / top if top > 0 else 0.0
    built = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        x = float(LABEL_WIDTH)
        segments = []
        for position, value in enumerate(values):
            length = max(value, 0.0) * scale
            name = series[position] if position < len(series) else ""
            segments.append(Segment(name, value, x, length, series_class(position)))
            x += length
        href = links[index] if links is not None and index < len(links) else None
        built.append(BarRow(label, total, PADDING + index * ROW_HEIGHT, tuple(segments), href))
    target_x = LABEL_WIDTH + target * scale if target is not None else None
    return BarChart(
        title=title,
        rows=tuple(built),
        series=tuple(series),
        maximum=top,
        width=width,
        height=PADDING * 2 + max(len(rows), 1) * ROW_HEIGHT,
        plot_width=plot_width,
        unit=unit,
        target=target,
        target_x=target_x,
    )


@dataclass(frozen=True)
class Line:
    name: str
    values: tuple[float, ...]
    points: str  # "x,y x,y …" for <polyline>
    dots: tuple[tuple[float, float, float], ...]  # (x, y, value)
    css: str


@dataclass(frozen=True)
class LineChart:
    """Values over months (or any ordered labels), one line per series."""

    title: str
    labels: tuple[str, ...]
    label_x: tuple[float, ...]
    lines: tuple[Line, ...]
    maximum: float
    ticks: tuple[tuple[float, float], ...]  # (y, value)
    width: int
    height: int
    baseline: float
    unit: str = ""


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    unit: str = "",
    width: int = 640,
) -> LineChart:
    """Lines over `labels`; the y axis starts at zero and ends on a round number."""
    left, right = 56.0, 16.0
    step = (width - left - right) / max(len(labels) - 1, 1)
    label_x = tuple(left + i * step for i in range(len(labels)))
    top = nice_ceiling(max([max(values, default=0.0) for _, values in series] + [0.0]))
    baseline = PADDING + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return round(baseline - (max(value, 0.0) / top) * PLOT_HEIGHT, 2)

    lines = []
    for index, (name, values) in enumerate(series):
        dots = tuple(
            (round(label_x[i], 2), y_of(v), float(v)) for i, v in enumerate(values[: len(labels)])
        )
        points = " ".join(f"{x},{y}" for x, y, _ in dots)
        lines.append(Line(name, tuple(float(v) for v in values), points, dots, series_class(index)))
    ticks = tuple((y_of(top * k / 4), top * k / 4) for k in range(5))
    return LineChart(
        title=title,
        labels=tuple(labels),
        label_x=label_x,
        lines=tuple(lines),
        maximum=top,
        ticks=ticks,
        width=width,
        height=int(baseline + PADDING + 8),
        baseline=baseline,
        unit=unit,
    )


@dataclass(frozen=True)
class Bin:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Histogram:
    """How many values fall in each bin; the bin at or above a target is highlighted."""

    title: str
    bins: tuple[Bin, ...]
    maximum: int
    width: int
    height: int
    baseline: float
    unit: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def histogram(
    title: str,
    counts: Sequence[tuple[str, int]],
    *,
    highlight_from: int | None = None,
    unit: str = "",
    width: int = 640,
) -> Histogram:
    """Vertical bars for pre-counted bins (the counting happens in SQL)."""
    left = 40.0
    slot = (width - left - 16) / max(len(counts), 1)
    top = int(nice_ceiling(max([c for _, c in counts] + [1])))
    baseline = PADDING + PLOT_HEIGHT
    bins = []
    for index, (label, count) in enumerate(counts):
        height = PLOT_HEIGHT * count / top if top else 0.0
        css = "series-1" if highlight_from is not None and index >= highlight_from else "series-0"
        bins.append(
            Bin(
                label,
                count,
                round(left + index * slot + 2, 2),
                round(baseline - height, 2),
                round(max(slot - 4, 1), 2),
                round(height, 2),
                css,
            )
        )
    return Histogram(
        title=title,
        bins=tuple(bins),
        maximum=top,
        width=width,
        height=int(baseline + PADDING + 8),
        baseline=baseline,
        unit=unit,
    )
