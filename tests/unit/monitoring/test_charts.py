"""Chart geometry: axes end on round numbers and shapes are proportional to the figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.web import charts


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1.0), (0.3, 0.5), (1, 1.0), (7, 10.0), (11, 20.0), (21, 25.0), (99, 100.0), (120, 200.0)],
)
def test_nice_ceiling(value, expected):
    assert charts.nice_ceiling(value) == expected


@given(st.floats(min_value=1e-6, max_value=1e12, allow_nan=False))
def test_nice_ceiling_is_at_least_the_value_and_less_than_double_and_a_half(value):
    top = charts.nice_ceiling(value)
    assert value <= top + 1e-9 and top <= value * 2.5 + 1e-9


def test_bar_lengths_are_proportional_and_stacked_segments_follow_each_other():
    chart = charts.bar_chart("t", [("a", (10, 5)), ("b", (20, 0))], ("x", "y"), width=640)
    assert chart.maximum == 20
    first, second = chart.rows
    scale = chart.plot_width / 20
    assert first.segments[0].width == pytest.approx(10 * scale)
    assert first.segments[1].x == pytest.approx(first.segments[0].x + first.segments[0].width)
    assert second.segments[0].width == pytest.approx(chart.plot_width)
    assert first.total == 15 and chart.stacked
    assert second.y > first.y


def test_bar_chart_target_line_and_fixed_maximum():
    chart = charts.bar_chart("t", [("a", (50,))], maximum=100, target=80)
    assert chart.maximum == 100
    assert chart.target_x == pytest.approx(charts.LABEL_WIDTH + 0.8 * chart.plot_width)


def test_negative_values_draw_nothing():
    chart = charts.bar_chart("t", [("a", (-3,))])
    assert chart.rows[0].segments[0].width == 0


def test_line_chart_points_map_values_to_heights():
    chart = charts.line_chart("t", ["J", "F", "M"], [("2026", [0, 5, 10])])
    (line,) = chart.lines
    ys = [y for _, y, _ in line.dots]
    assert ys[0] == chart.baseline
    assert ys[2] == pytest.approx(chart.baseline - charts.PLOT_HEIGHT)
    assert ys[1] == pytest.approx(chart.baseline - charts.PLOT_HEIGHT / 2)
    assert line.points.count(",") == 3


def test_histogram_highlights_bins_from_the_target():
    chart = charts.histogram("t", [("0", 4), ("1–19", 2), ("20+", 8)], highlight_from=2)
    assert [b.css for b in chart.bins] == ["series-0", "series-0", "series-1"]
    assert chart.bins[2].height == pytest.approx(charts.PLOT_HEIGHT * 8 / chart.maximum)
