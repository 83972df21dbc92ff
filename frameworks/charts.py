"""History charts drawn on the server as SVG geometry.

The template turns a Chart into inline SVG with the same data as a table
beside it, and no JavaScript. What the charts promise readers:

- Each framework has its colour and marker shape from ``palette``, the same
  on every page and distinct within a chart.
- Every measured point is marked. Points measured close together are joined
  by a solid line; a stretch longer than ``GAP_DAYS`` with no measurement is
  a faint dotted line, because nobody saw what happened in between.
- The value axis starts at zero.
- Each line ends in a label with its latest value; labels that would touch
  are moved apart, with a short leader back to their point.
- A metric whose frameworks have one figure each is no chart at all: the
  template shows the values and their dates (``Chart.is_single``).
- Two drawings share the data: a wide one, and a narrow one for phones whose
  lettering stays at least 12 px on a 390 px screen. CSS shows the one that
  fits its box.
"""

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import palette
from .models import Framework, Measurement, Metric

# Measurements further apart than this are not joined by a solid line.
GAP_DAYS = 92
MIN_MARKER = 3.5  # the smallest marker radius, still big enough to tell its shape
CHAR_WIDTH = 0.6  # average glyph width of the sans-serif, as a share of the font size


@dataclass(frozen=True)
class Layout:
    """One drawing's size in SVG units, its margins and its lettering."""

    name: str
    width: int
    height: int
    left: int
    top: int
    bottom: int
    font: int
    marker: float
    max_label_share: float = 0.34  # of the width, for the end labels

    def text_width(self, text: str) -> float:
        return len(text) * self.font * CHAR_WIDTH


WIDE = Layout("wide", width=640, height=310, left=52, top=34, bottom=48, font=14, marker=5)
# At 390 px a chart box is about 340 px wide: 360 units make 14-unit lettering about 13 px.
NARROW = Layout("narrow", width=360, height=340, left=44, top=34, bottom=48, font=14, marker=5.5)
LAYOUTS = (WIDE, NARROW)


@dataclass
class Point:
    x: float
    y: float
    measurement: Measurement


@dataclass
class Tick:
    at: float
    label: str
    anchor: str = "middle"


@dataclass
class EndLabel:
    text: str
    x: float
    y: float
    point: Point

    @property
    def has_leader(self) -> bool:
        return abs(self.y - self.point.y) > 2


@dataclass
class SeriesDrawing:
    """One framework's line in one layout."""

    series: "Series"
    points: list[Point]
    runs: list[list[Point]]  # measured close together: solid
    gaps: list[tuple[Point, Point]]  # a long stretch unmeasured: dotted
    marker_size: float
    label: EndLabel | None = None

    @property
    def framework(self) -> Framework:
        return self.series.framework

    @property
    def slot(self) -> palette.Slot:
        return self.series.slot

    @property
    def run_paths(self) -> list[str]:
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in self.runs if len(run) > 1]

    @property
    def markers(self) -> list[tuple[Point, str]]:
        return [(p, palette.marker(self.slot.shape, p.x, p.y, self.marker_size)) for p in self.points]


@dataclass
class Drawing:
    layout: Layout
    series: list[SeriesDrawing]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_right: float

    @property
    def width(self) -> int:
        return self.layout.width

    @property
    def height(self) -> int:
        return self.layout.height

    @property
    def plot_left(self) -> int:
        return self.layout.left

    @property
    def plot_top(self) -> int:
        return self.layout.top

    @property
    def plot_bottom(self) -> int:
        return self.layout.height - self.layout.bottom

    @property
    def font(self) -> int:
        return self.layout.font

    @property
    def x_tick_y(self) -> float:
        return self.plot_bottom + self.font + 6

    @property
    def x_title_y(self) -> float:
        return self.layout.height - 4

    @property
    def y_title_y(self) -> float:
        return self.font + 2

    @property
    def label_x(self) -> float:
        return self.plot_right + 10


@dataclass
class Series:
    framework: Framework
    slot: palette.Slot
    measurements: list[Measurement]


@dataclass
class Chart:
    metric: Metric
    series: list[Series]
    drawings: list[Drawing] = field(default_factory=list)

    @property
    def y_title(self) -> str:
        """The value axis title: the metric and its unit."""
        unit = self.metric.unit
        return f"{self.metric.name} ({unit})" if unit else self.metric.name

    @property
    def is_empty(self) -> bool:
        return not any(s.measurements for s in self.series)

    @property
    def is_single(self) -> bool:
        """Each framework has at most one figure: nothing to draw a history from."""
        return not self.is_empty and all(len(s.measurements) <= 1 for s in self.series)

    @property
    def has_gaps(self) -> bool:
        """Whether some line has a long stretch without measurements (drawn dotted)."""
        return any(sd.gaps for sd in self.drawings[0].series) if self.drawings else False

    @property
    def measured(self) -> list[Series]:
        return [s for s in self.series if s.measurements]

    @property
    def wide(self) -> Drawing | None:
        return self.drawings[0] if self.drawings else None

    @property
    def narrow(self) -> Drawing | None:
        return self.drawings[1] if len(self.drawings) > 1 else None

    @property
    def dates(self) -> list[date]:
        return sorted({m.as_of for s in self.series for m in s.measurements})

    @property
    def table(self) -> list[tuple[date, list[str]]]:
        """Rows of (date, value per framework) for the data table."""
        by_key = {(s.framework.pk, m.as_of): m for s in self.series for m in s.measurements}
        return [
            (d, [self.metric.format(m.value) if (m := by_key.get((s.framework.pk, d))) else "—" for s in self.series])
            for d in self.dates
        ]


def _nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)


def _short(value: float) -> str:
    """A tick label: 250k, 1.5M, 40, 0.25 (the unit is in the axis title)."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.3g}k"
    return f"{value:.3g}"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _date_ticks(first: date, last: date, plot_left: float, plot_w: float, layout: Layout, x_of) -> list[Tick]:
    """Calendar ticks (months, then years) as dense as their labels allow without touching."""
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        fmt = "%Y" if months >= 12 else "%b %Y"
        start = _month_index(first) + (0 if first.day == 1 else 1)
        ticks = []
        for index in range(start, _month_index(last) + 1):
            if index % months == 0:
                d = date(index // 12, index % 12 + 1, 1)
                ticks.append(Tick(x_of(d), d.strftime(fmt)))
        if not ticks:
            continue
        width = layout.text_width(ticks[0].label)
        if len(ticks) == 1 or min(b.at - a.at for a, b in zip(ticks, ticks[1:])) >= width + layout.font:
            if len(ticks) >= 2 or (last - first).days < 62:
                return _fit_ticks(ticks, width, plot_left, plot_w)
    # A span of a few weeks: its two ends, by day.
    ends = [Tick(x_of(first), f"{first.day} {calendar.month_abbr[first.month]} {first.year}")]
    if x_of(last) - x_of(first) >= layout.text_width(ends[0].label) + layout.font:
        ends.append(Tick(x_of(last), f"{last.day} {calendar.month_abbr[last.month]} {last.year}"))
    return _fit_ticks(ends, layout.text_width(ends[0].label), plot_left, plot_w)


def _fit_ticks(ticks: list[Tick], width: float, plot_left: float, plot_w: float) -> list[Tick]:
    """Anchor labels at the drawing's edges so none is cut off."""
    for tick in ticks:
        if tick.at - width / 2 < plot_left - 8:
            tick.anchor = "start"
        elif tick.at + width / 2 > plot_left + plot_w + 8:
            tick.anchor = "end"
    return ticks


def _dodge(labels: list[EndLabel], top: float, bottom: float, gap: float) -> None:
    """Move end labels apart vertically, keeping their order and staying between top and bottom."""
    labels.sort(key=lambda label: label.y)
    for a, b in zip(labels, labels[1:]):
        b.y = max(b.y, a.y + gap)
    if labels and labels[-1].y > bottom:
        labels[-1].y = bottom
        for a, b in reversed(list(zip(labels, labels[1:]))):
            a.y = min(a.y, b.y - gap)
    if labels and labels[0].y < top:
        labels[0].y = top
        for a, b in zip(labels, labels[1:]):
            b.y = max(b.y, a.y + gap)


def _draw(chart: Chart, layout: Layout, first: date, last: date, top_value: float, step: float) -> Drawing:
    span = (last - first).days or 1
    # The end labels decide the right margin: the framework's name and latest value, or the value alone.
    latest = {s.framework.pk: s.measurements[-1] for s in chart.measured}
    full = {pk: f"{s.framework.name} {_short(float(latest[pk].value))}"
            for s in chart.measured if (pk := s.framework.pk)}
    texts = full
    if max(layout.text_width(t) for t in texts.values()) > layout.width * layout.max_label_share:
        texts = {pk: _short(float(m.value)) for pk, m in latest.items()}
    right = max(layout.text_width(t) for t in texts.values()) + 16
    plot_right = layout.width - right
    plot_w = plot_right - layout.left
    plot_bottom = layout.height - layout.bottom
    plot_h = plot_bottom - layout.top

    def x_of(d: date) -> float:
        return layout.left + plot_w * (d - first).days / span

    def y_of(v: Decimal | float) -> float:
        return plot_bottom - plot_h * float(v) / top_value

    # Markers shrink where measurements crowd together, so the line between them still shows.
    spacings = sorted(
        plot_w * (b.as_of - a.as_of).days / span
        for s in chart.series for a, b in zip(s.measurements, s.measurements[1:])
    )
    marker_size = layout.marker
    if spacings and spacings[len(spacings) // 2] < 3 * layout.marker:
        marker_size = max(MIN_MARKER, spacings[len(spacings) // 2] / 3)

    series_drawings = []
    for s in chart.series:
        points = [Point(x_of(m.as_of), y_of(m.value), m) for m in s.measurements]
        runs: list[list[Point]] = []
        gaps: list[tuple[Point, Point]] = []
        for point in points:
            if runs and (point.measurement.as_of - runs[-1][-1].measurement.as_of).days <= GAP_DAYS:
                runs[-1].append(point)
            else:
                if runs:
                    gaps.append((runs[-1][-1], point))
                runs.append([point])
        drawing = SeriesDrawing(s, points, runs, gaps, marker_size)
        if points:
            drawing.label = EndLabel(texts[s.framework.pk], plot_right + 10, points[-1].y, points[-1])
        series_drawings.append(drawing)

    labels = [d.label for d in series_drawings if d.label]
    _dodge(labels, layout.top, plot_bottom, layout.font * 1.3)

    y_ticks = [Tick(y_of(step * k), _short(step * k)) for k in range(round(top_value / step) + 1)]
    x_ticks = _date_ticks(first, last, layout.left, plot_w, layout, x_of)
    return Drawing(layout, series_drawings, x_ticks, y_ticks, plot_right)


def build_chart(
    metric: Metric, frameworks: Sequence[Framework], history: dict[tuple[int, int], list[Measurement]]
) -> Chart:
    slots = palette.assign(frameworks)
    series = [
        Series(fw, slots[fw.pk], sorted(history.get((fw.pk, metric.pk), []), key=lambda m: m.as_of))
        for fw in frameworks
    ]
    chart = Chart(metric=metric, series=series)
    if chart.is_empty or chart.is_single:
        return chart

    values = [float(m.value) for s in series for m in s.measurements]
    # Counts start at zero: a bar of 45k against 61k must not look like 1 against 10.
    peak = max(max(values), 0.0)
    step = _nice_step(peak / 4) if peak > 0 else 1.0
    top_value = step * max(1, math.ceil(peak / step))
    first, last = chart.dates[0], chart.dates[-1]
    chart.drawings = [_draw(chart, layout, first, last, top_value, step) for layout in LAYOUTS]
    return chart
