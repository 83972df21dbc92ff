"""History charts drawn on the server as SVG geometry.

The template turns a Chart into inline SVG: no JavaScript, one line per
framework, labelled axes, and the same data as a table beside it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import Framework, Measurement, Metric

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 40, 56


@dataclass
class Point:
    x: float
    y: float
    measurement: Measurement


@dataclass
class Series:
    framework: Framework
    index: int
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class Tick:
    at: float
    label: str
    anchor: str = "middle"


@dataclass
class Chart:
    metric: Metric
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def y_title(self) -> str:
        """The value axis title: the metric and its unit."""
        unit = self.metric.unit
        return f"{self.metric.name} ({unit})" if unit else self.metric.name

    @property
    def x_title_y(self) -> int:
        return self.height - 6

    @property
    def is_empty(self) -> bool:
        return not any(s.points for s in self.series)

    @property
    def dates(self) -> list[date]:
        return sorted({p.measurement.as_of for s in self.series for p in s.points})

    @property
    def table(self) -> list[tuple[date, list[str]]]:
        """Rows of (date, value per framework) for the data table."""
        by_key = {(s.framework.pk, p.measurement.as_of): p.measurement for s in self.series for p in s.points}
        return [
            (d, [self.metric.format(m.value) if (m := by_key.get((s.framework.pk, d))) else "—" for s in self.series])
            for d in self.dates
        ]


def _nice_step(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)


def _short(value: float) -> str:
    """A tick label: 250k, 1.5M, 40, 0.25 (the unit is in the axis title)."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"


def build_chart(
    metric: Metric, frameworks: Sequence[Framework], history: dict[tuple[int, int], list[Measurement]]
) -> Chart:
    series_data = [(fw, history.get((fw.pk, metric.pk), [])) for fw in frameworks]
    all_points = [m for _, ms in series_data for m in ms]
    chart = Chart(metric=metric, series=[], x_ticks=[], y_ticks=[])
    if not all_points:
        chart.series = [Series(fw, i, []) for i, (fw, _) in enumerate(series_data)]
        return chart

    first = min(m.as_of for m in all_points)
    last = max(m.as_of for m in all_points)
    span = (last - first).days
    step = _nice_step(float(max(m.value for m in all_points)) / 4)
    top = step * max(1, math.ceil(float(max(m.value for m in all_points)) / step))
    plot_w = chart.plot_right - chart.plot_left
    plot_h = chart.plot_bottom - chart.plot_top

    def x_of(d: date) -> float:
        if span == 0:
            return chart.plot_left + plot_w / 2
        return chart.plot_left + plot_w * (d - first).days / span

    def y_of(v: Decimal) -> float:
        return chart.plot_bottom - plot_h * float(v) / top

    chart.series = [
        Series(fw, i, [Point(x_of(m.as_of), y_of(m.value), m) for m in ms]) for i, (fw, ms) in enumerate(series_data)
    ]
    chart.y_ticks = [Tick(y_of(Decimal(str(step * k))), _short(step * k)) for k in range(round(top / step) + 1)]
    dates = chart.dates
    if len(dates) <= 4:
        tick_dates = dates
    else:
        tick_dates = [dates[round(i * (len(dates) - 1) / 3)] for i in range(4)]
    chart.x_ticks = [Tick(x_of(d), d.strftime("%b %Y")) for d in tick_dates]
    if len(chart.x_ticks) > 1:
        # Keep the first and last dates inside the drawing.
        chart.x_ticks[0].anchor, chart.x_ticks[-1].anchor = "start", "end"
    return chart
