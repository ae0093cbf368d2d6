"""Geometry of small horizontal bar charts, drawn by templates as inline SVG (no script, no outside request)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
BAR_AREA = 250
ROW_HEIGHT = 34
BAR_HEIGHT = 12


@dataclass(frozen=True)
class Bar:
    """One labelled bar: where its label, bar and value go in the chart's coordinates."""

    label: str
    value: str
    label_y: int
    bar_y: int
    bar_width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    """A chart's bars and its size; `title` is read by screen readers."""

    title: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def bar_chart(title: str, items: list[tuple[str, float]], shown: list[str] | None = None) -> BarChart:
    """Lay out one bar per (label, value); `shown` overrides the value text (e.g. '75 %')."""
    top = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(BAR_AREA * value / top) if value > 0 else 0
        y = index * ROW_HEIGHT
        text = shown[index] if shown else f"{value:g}"
        bars.append(Bar(label, text, y + 13, y + 18, max(width, 1 if value else 0), width + 6))
    return BarChart(title, bars, WIDTH, max(ROW_HEIGHT, len(items) * ROW_HEIGHT), BAR_HEIGHT)
