"""Embeds: a metric's history chart for 1 to 4 frameworks, and a badge of one framework's figure.

Both are standalone SVG documents that other sites show in an ``<img>``.
This module lays them out (no queries); ``embed_views`` loads the figures
and serves them, and the framework and compare pages offer their markup in
an "Embed this" block built by ``page_embeds``.

What an embed promises:

- The figures a page shows, and only those: published frameworks, their
  recorded figures (figures waiting for review are not figures yet), the
  same chart geometry (``frameworks.charts``) and palette.
- It works on its own: every colour, size and font is a presentation
  attribute, so the SVG needs no stylesheet, and its policy can be
  ``default-src 'none'``. Texts are measured with a table of DejaVu Sans
  widths, which are as wide as any sans-serif a reader is likely to have,
  and cut with an ellipsis where they would not fit.
- A metric measured once per framework shows the values and their dates
  as text, as the pages do; a metric with no figures yet is a small image
  that says so (200, not 404: an embed placed early fills in by itself).
- The page's snippet gives the image's exact width and height, computed by
  the same layout as the image itself.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.text import get_text_list

from frameworks import palette
from frameworks.charts import Chart, Drawing
from frameworks.compare_paths import SEPARATOR, compare_url
from frameworks.models import Framework, Measurement, Metric
from frameworks.selectors import Board

MAX_FRAMEWORKS = 4
SIZES = ("wide", "narrow")  # ?size=: which of the chart's drawings to show

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"  # as the charts on the pages
BADGE_FONT = "Verdana, Geneva, 'DejaVu Sans', sans-serif"  # as shields.io badges
TEXT, MUTED, LINE, SURFACE = "#1c1f23", "#575f68", "#dcd8cf", "#ffffff"
BADGE_LABEL, BADGE_EMPTY = "#555555", "#767676"  # white text on either: at least 4.5:1

PAD = 16
HEADER = 62  # the metric's name and the frameworks above the drawing
LEGEND_ROW = 22
TITLE_SIZE, SUBTITLE_SIZE, LEGEND_SIZE, FOOTER_SIZE = 18, 13, 13, 12
SINGLE_ROW = 34
BADGE_HEIGHT, BADGE_SIZE, BADGE_PAD = 20, 11, 6

# Advance widths of DejaVu Sans (regular), in ems, for printable ASCII and a few typographic marks.
_ASCII = (
    "0.318 0.401 0.46 0.838 0.636 0.95 0.78 0.275 0.39 0.39 0.5 0.838 0.318 0.361 0.318 0.337 "
    "0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.337 0.337 0.838 0.838 0.838 0.531 "
    "1.0 0.684 0.686 0.698 0.77 0.632 0.575 0.775 0.752 0.295 0.295 0.656 0.557 0.863 0.748 0.787 "
    "0.603 0.787 0.695 0.635 0.611 0.732 0.684 0.989 0.685 0.611 0.685 0.39 0.337 0.39 0.838 0.5 "
    "0.5 0.613 0.635 0.55 0.635 0.615 0.352 0.635 0.634 0.278 0.278 0.579 0.278 0.974 0.634 0.612 "
    "0.635 0.635 0.411 0.521 0.392 0.634 0.592 0.818 0.592 0.592 0.525 0.636 0.337 0.636 0.838"
)
EM_WIDTHS = dict(zip(map(chr, range(32, 127)), map(float, _ASCII.split()), strict=True))
EM_WIDTHS.update({"·": 0.318, "…": 1.0, "—": 1.0, "–": 0.5, "’": 0.318, "‘": 0.318})
OTHER_WIDTH = 0.75  # letters beyond ASCII: about an average capital
BOLD_FACTOR = 1.15  # DejaVu Sans Bold runs 9 to 13 % wider


def text_width(text: str, size: float, bold: bool = False) -> float:
    """About how wide ``text`` runs at ``size`` px (never narrower than DejaVu Sans draws it)."""
    ems = sum(EM_WIDTHS.get(ch, OTHER_WIDTH) for ch in text)
    return ems * size * (BOLD_FACTOR if bold else 1.0)


def fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text``, cut with an ellipsis if it would run wider than ``width``."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text.rstrip() + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def compact(metric: Metric, value) -> str:
    """A figure in a few characters, as badges show them: 61.2k, 1.5M, 12.34 ms."""
    rounded = float(f"{float(value):.3g}")
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if rounded >= limit:
            text = f"{rounded / limit:g}{suffix}"
            break
    else:
        text = f"{value:,.{metric.decimal_places}f}"
    return f"{text} {metric.unit}" if metric.unit else text


def day(d: date) -> str:
    return format_date(d, "j M Y")


def chart_path(metric: Metric, slugs: Sequence[str], size: str = "wide") -> str:
    """The canonical path of a chart embed: slugs sorted, as on compare pages; the wide drawing has no query."""
    path = reverse("embeds:chart", kwargs={"metric": metric.slug, "slugs": SEPARATOR.join(sorted(slugs))})
    return path if size == "wide" else f"{path}?size={size}"


def badge_path(framework: Framework, metric: Metric) -> str:
    return reverse("embeds:badge", kwargs={"slug": framework.slug, "metric": metric.slug})


def page_path(frameworks: Sequence[Framework]) -> str:
    """The page an embed of these frameworks comes from: a framework's profile, or the compare page."""
    return frameworks[0].get_absolute_url() if len(frameworks) == 1 else compare_url(frameworks)


def latest(chart: Chart) -> list[tuple[Framework, Measurement]]:
    """Each measured framework with its newest figure in the chart (its current figure)."""
    return [(s.framework, s.measurements[-1]) for s in chart.measured]


def chart_alt(chart: Chart) -> str:
    """What the chart says, in one sentence: its newest figures and their dates."""
    if chart.is_empty:
        names = get_text_list([s.framework.name for s in chart.series], "and")
        return f"{chart.metric.name}: no figures recorded yet for {names}."
    figures = ", ".join(f"{fw.name} {m.display_value} as of {day(m.as_of)}" for fw, m in latest(chart))
    what = chart.metric.name if chart.is_single else f"{chart.metric.name} over time"
    return f"{what}: {figures}."


# --- The chart embed ----------------------------------------------------------------------------------------------


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class LegendItem:
    x: float
    y: float  # the row's top
    name: str
    slot: palette.Slot | None  # None: the key of the dotted "no measurement in between" line


@dataclass
class SingleRow:
    y: float  # the baseline
    name: str
    value: str
    as_of: str
    slot: palette.Slot


@dataclass
class ChartEmbed:
    """Where everything of one chart embed goes. ``kind`` is "chart", "single" or "empty"."""

    chart: Chart
    kind: str
    width: int
    height: int = 0
    title: str = ""
    subtitle: str = ""
    alt: str = ""
    drawing: Drawing | None = None
    chart_x: int = PAD
    chart_y: int = HEADER
    legend: list[LegendItem] = field(default_factory=list)
    rows: list[SingleRow] = field(default_factory=list)
    message: Text | None = None
    rule_y: float = 0
    footer: list[Text] = field(default_factory=list)
    font: str = FONT
    text_colour: str = TEXT
    muted_colour: str = MUTED
    line_colour: str = LINE
    surface_colour: str = SURFACE

    @property
    def inner(self) -> float:
        return self.width - 2 * PAD

    @property
    def right(self) -> int:
        return self.width - PAD


def _legend(embed: ChartEmbed, top: float) -> float:
    """Place the legend's keys in rows that wrap; returns the bottom of the last row."""
    items = [(s.framework.name, s.slot) for s in embed.chart.measured]
    if embed.chart.has_gaps:
        items.append(("no measurement in between", None))
    x, y = PAD, top
    for name, slot in items:
        name = fit(name, LEGEND_SIZE, embed.inner - 30)
        item_width = 30 + text_width(name, LEGEND_SIZE)
        if x > PAD and x + item_width > embed.width - PAD:
            x, y = PAD, y + LEGEND_ROW
        embed.legend.append(LegendItem(x, y, name, slot))
        x += item_width + 18
    return y + LEGEND_ROW


def _footer(embed: ChartEmbed, top: float, page_url: str) -> None:
    """Sources and the newest date on the left, the site and the page's address on the right (or below)."""
    figures = latest(embed.chart)
    sources = list(dict.fromkeys(m.source_name for _, m in figures))
    if figures:
        newest = max(m.as_of for _, m in figures)
        left = f"Source: {', '.join(sources)} · newest figure {day(newest)}"
    else:
        left = "No figures recorded yet"
    address = page_url.split("://", 1)[-1]
    right = f"{settings.SITE_NAME} · {address}"
    embed.rule_y = top + 6
    baseline = embed.rule_y + 19
    if text_width(left, FOOTER_SIZE) + 24 + text_width(right, FOOTER_SIZE) <= embed.inner:
        embed.footer = [Text(PAD, baseline, left), Text(embed.width - PAD, baseline, right, "end")]
    else:
        if text_width(right, FOOTER_SIZE) > embed.inner:  # the site's address alone rather than half the page's
            right = f"{settings.SITE_NAME} · {address.split('/', 1)[0]}"
        embed.footer = [
            Text(PAD, baseline, fit(left, FOOTER_SIZE, embed.inner)),
            Text(PAD, baseline + 17, fit(right, FOOTER_SIZE, embed.inner)),
        ]
    embed.height = round(embed.footer[-1].y + 12)


def chart_embed(chart: Chart, page_url: str, size: str = "wide") -> ChartEmbed:
    """Lay out the embed of ``chart``; ``page_url`` (absolute) is the page it comes from."""
    drawing = chart.wide if size == "wide" else chart.narrow
    layout_width = {"wide": 640, "narrow": 360}[size] if drawing is None else drawing.width
    kind = "empty" if chart.is_empty else "single" if chart.is_single else "chart"
    embed = ChartEmbed(chart=chart, kind=kind, width=layout_width + 2 * PAD, drawing=drawing)
    embed.title = fit(chart.metric.name, TITLE_SIZE, embed.inner, bold=True)
    subtitle = " vs ".join(s.framework.name for s in chart.series)
    if not chart.metric.higher_is_better:
        subtitle += " · lower is better"
    embed.subtitle = fit(subtitle, SUBTITLE_SIZE, embed.inner)
    embed.alt = chart_alt(chart)

    if kind == "chart":
        bottom = _legend(embed, HEADER + drawing.height + 4)
    elif kind == "single":
        y = HEADER + 10
        for fw, m in latest(chart):
            value, as_of = m.display_value, f" as of {day(m.as_of)}"
            room = embed.inner - 30 - 12 - text_width(value, 16, bold=True) - text_width(as_of, SUBTITLE_SIZE)
            slot = next(s.slot for s in chart.series if s.framework.pk == fw.pk)
            embed.rows.append(SingleRow(y + 18, fit(fw.name, 14, room, bold=True), value, as_of, slot))
            y += SINGLE_ROW
        hint = (
            "One figure each so far: a history chart needs two dates."
            if len(chart.measured) > 1
            else "One figure so far: a history chart needs two dates."
        )
        embed.message = Text(PAD, y + 14, fit(hint, SUBTITLE_SIZE, embed.inner))
        bottom = y + 24
    else:
        embed.message = Text(PAD, HEADER + 20, fit("No figures recorded yet.", 14, embed.inner))
        bottom = HEADER + 32
    _footer(embed, bottom, page_url)
    return embed


# --- The badge ----------------------------------------------------------------------------------------------------


@dataclass
class Badge:
    """A shields.io-style badge: the metric's name on grey, the figure and its month on the framework's colour."""

    label: str
    value: str
    colour: str
    title: str
    label_width: float = 0
    value_width: float = 0
    font: str = BADGE_FONT
    height: int = BADGE_HEIGHT
    label_colour: str = BADGE_LABEL

    def __post_init__(self):
        self.label_text = round(text_width(self.label, BADGE_SIZE), 1)
        self.value_text = round(text_width(self.value, BADGE_SIZE), 1)
        self.label_width = round(self.label_text + 2 * BADGE_PAD)
        self.value_width = round(self.value_text + 2 * BADGE_PAD)

    @property
    def width(self) -> int:
        return self.label_width + self.value_width

    @property
    def label_x(self) -> float:
        return self.label_width / 2

    @property
    def value_x(self) -> float:
        return self.label_width + self.value_width / 2

    @property
    def aria_label(self) -> str:
        return f"{self.label}: {self.value}"


def badge(framework: Framework, metric: Metric, figure: Measurement | None) -> Badge:
    """The badge of ``framework``'s current figure on ``metric`` (None: not measured yet)."""
    if figure is None:
        return Badge(
            metric.name,
            "no figures yet",
            BADGE_EMPTY,
            f"{framework.name}: no {metric.name} figures recorded yet ({settings.SITE_NAME})",
        )
    slot = palette.SLOTS[palette.own_slot(framework)]
    return Badge(
        metric.name,
        f"{compact(metric, figure.value)} · {format_date(figure.as_of, 'M Y')}",
        slot.light,
        f"{framework.name}: {metric.name} {figure.display_value} as of {day(figure.as_of)} ({settings.SITE_NAME})",
    )


# --- The "Embed this" block of a page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """One image to embed: its markup (a link to the page around the image) and a preview."""

    label: str  # what it shows, above its markup
    src: str  # absolute
    preview: str  # the same image's path, for the preview on the page
    alt: str
    width: int
    height: int
    href: str  # the page, absolute

    @property
    def html(self) -> str:
        """The markup to copy, as text: the template escapes it once more to show it."""
        return (
            f'<a href="{escape(self.href)}"><img src="{escape(self.src)}" alt="{escape(self.alt)}" '
            f'width="{self.width}" height="{self.height}"></a>'
        )


@dataclass
class EmbedBlock:
    chart: Snippet
    narrow: ChartEmbed  # for the size ?size=narrow gives
    badges: list[Snippet]
    other_charts: list[tuple[Metric, str]]  # the other metrics' chart embeds: (metric, absolute URL)

    @property
    def badges_html(self) -> str:
        return "\n".join(b.html for b in self.badges)

    @property
    def badge_rows(self) -> int:
        """Rows of the badges' box: about three lines of markup each."""
        return min(3 * len(self.badges), 12)


def _main_chart(charts: Sequence[Chart]) -> Chart | None:
    """The chart a page offers first: the most frameworks measured, a history before single figures, table order."""
    shown = [(i, c) for i, c in enumerate(charts) if not c.is_empty]
    if not shown:
        return None
    return min(shown, key=lambda ic: (-len(ic[1].measured), ic[1].is_single, ic[0]))[1]


def page_embeds(request, frameworks: Sequence[Framework], board: Board, charts: Sequence[Chart]) -> EmbedBlock | None:
    """What a framework or compare page offers to embed: the chart of its main metric and badges (one per
    metric for a framework, one per framework on the main metric for a comparison). ``charts`` are the ones
    the page draws, one per metric. No queries. None when nothing is measured."""
    main = _main_chart(charts)
    if main is None:
        return None
    slugs = [fw.slug for fw in frameworks]
    href = request.build_absolute_uri(page_path(frameworks))
    path = chart_path(main.metric, slugs)
    wide = chart_embed(main, href)
    chart = Snippet(
        f"Chart of {main.metric.name}", request.build_absolute_uri(path), path, wide.alt, wide.width, wide.height, href
    )

    if len(frameworks) == 1:
        pairs = [(frameworks[0], c.metric) for c in charts if not c.is_empty]
    else:
        pairs = [(fw, main.metric) for fw in frameworks]
    badges = []
    for fw, metric in pairs:
        b = badge(fw, metric, board.current.get((fw.pk, metric.pk)))
        path = badge_path(fw, metric)
        href_fw = request.build_absolute_uri(fw.get_absolute_url())
        label = f"Badge of {metric.name}" if len(frameworks) == 1 else f"Badge of {fw.name}"
        badges.append(Snippet(label, request.build_absolute_uri(path), path, b.title, b.width, b.height, href_fw))

    others = [
        (c.metric, request.build_absolute_uri(chart_path(c.metric, slugs)))
        for c in charts
        if not c.is_empty and c is not main
    ]
    return EmbedBlock(chart, chart_embed(main, href, "narrow"), badges, others)
