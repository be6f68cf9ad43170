"""Geometry of the bar charts, drawn as inline SVG by `templates/insights/_chart.html`.

Hand-built rather than a chart library: the SVG must carry no style element or attribute and
no script (the CSP forbids inline styles; pygal, for one, embeds both), must be role="img"
with its own title and desc, and only needs bars, a scale and labels.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 46
COLOURS = ("#0059b3", "#358000", "#b51d09", "#4f5b66")
MAX_LABELS = 10


@dataclass
class Bar:
    """One bar (x, y, width, height) in a series colour."""

    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class Tick:
    """A scale line with its value."""

    y: float
    label: str


@dataclass
class Label:
    """A category label under the bars."""

    x: float
    text: str


@dataclass
class Chart:
    """Everything the SVG template needs; `key` makes ids unique on the page."""

    key: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    base: float = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)


def nice_top(value: float) -> int:
    """The top of the scale: the smallest of 4, 8, 12 or 20 times a power of ten at or above
    value, so the four steps of the scale are whole numbers."""
    power = 1
    while True:
        for step in (4, 8, 12, 20):
            if value <= step * power:
                return step * power
        power *= 10


def bar_chart(
    key: str,
    title: str,
    desc: str,
    categories: list[str],
    values: list[list[float]],
    series: list[str] | None = None,
    fmt: Callable[[float], str] = str,
) -> Chart:
    """Bars per category (one per series, side by side) on a scale from 0 to a round top."""
    series = series or [""]
    chart = Chart(key, str(title), str(desc))
    chart.legend = [(str(name), COLOURS[n % len(COLOURS)]) for n, name in enumerate(series) if name]
    top = nice_top(max([v for row in values for v in row] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, chart.base - TOP
    for n in range(5):
        share = n / 4
        chart.ticks.append(Tick(round(chart.base - share * plot_h, 1), fmt(top * n // 4)))
    if not categories:
        return chart
    slot = plot_w / len(categories)
    bar_w = max(slot * 0.8 / len(series), 0.5)
    every = math.ceil(len(categories) / MAX_LABELS)
    for i, (name, row) in enumerate(zip(categories, values, strict=True)):
        x0 = LEFT + i * slot + slot * 0.1
        for s, value in enumerate(row):
            height = plot_h * (value or 0) / top
            chart.bars.append(
                Bar(
                    round(x0 + s * bar_w, 1),
                    round(chart.base - height, 1),
                    round(bar_w, 1),
                    round(height, 1),
                    COLOURS[s % len(COLOURS)],
                )
            )
        if i % every == 0:
            chart.labels.append(Label(round(LEFT + i * slot + slot / 2, 1), name))
    return chart
