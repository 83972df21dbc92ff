"""What a page's social card says: the link preview of a guide, a framework or a compare page.

A card shows the page's title, two to four key figures with their dates and
the frameworks' names. This module decides those figures and the alt text
that describes the card; ``comparisons.cards`` draws it. Both the page (for
its ``og:image`` tags) and the card's own URL build the card from a loaded
``Board`` with the functions below, so the card, its alt text and the page
always show the same figures. No queries.

Key figures: one framework shows its first ``MAX_FIGURES`` measured metrics
in table order; a set of frameworks shows one metric across its first
``MAX_FIGURES`` frameworks, the first metric in table order on which the
most of them are measured (GitHub stars in the seed catalogue).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.text import get_text_list

from .compare_paths import SEPARATOR
from .models import Framework, Metric
from .selectors import Board, Figure

WIDTH, HEIGHT = 1200, 630  # the size Facebook, LinkedIn and X show large
MAX_FIGURES = 4


@dataclass(frozen=True)
class KeyFigure:
    label: str  # the framework's name in a set, the metric's short name for one framework
    spoken: str  # how the alt text names it: the framework's name, or the metric's full name
    figure: Figure  # the metric and its current measurement (None when not measured)
    framework: Framework

    @property
    def value(self) -> str:
        """As the page shows it, with its unit; "—" when not measured."""
        return self.figure.display

    @property
    def number(self) -> str:
        """The value without its unit, which a card sets smaller."""
        unit = self.unit
        return self.value.removesuffix(f" {unit}") if unit else self.value

    @property
    def unit(self) -> str:
        return self.figure.metric.unit if self.figure.measurement else ""

    @property
    def as_of(self) -> date | None:
        return self.figure.measurement.as_of if self.figure.measurement else None

    @property
    def is_best(self) -> bool:
        return self.figure.is_best


@dataclass(frozen=True)
class SocialCard:
    kind: str  # "Guide", "Framework · Python", "Comparison": the line above the title
    title: str
    path: str  # the card's URL path
    figures: list[KeyFigure] = field(default_factory=list)
    metric: Metric | None = None  # what the figures measure, when they compare frameworks
    frameworks: list[Framework] = field(default_factory=list)
    subtitle: str = ""
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def as_of(self) -> date | None:
        """The one date of every figure shown, or None when they differ (each figure then shows its own)."""
        dates = {fig.as_of for fig in self.figures if fig.as_of}
        return dates.pop() if len(dates) == 1 else None

    @property
    def alt(self) -> str:
        """The card in words, for og:image:alt and twitter:image:alt."""
        title = self.title.strip()
        text = title if title.endswith((".", "!", "?", "…")) else f"{title}."
        measured = [fig for fig in self.figures if fig.as_of]
        if measured:
            shared = self.as_of
            parts = [
                f"{fig.spoken} {fig.value}" + ("" if shared else f" (as of {_long_date(fig.as_of)})")
                for fig in measured
            ]
            lead = f"{self.metric.name}: " if self.metric else ""
            text += f" {lead}{get_text_list(parts, 'and')}" + (f", as of {_long_date(shared)}." if shared else ".")
        elif len(self.frameworks) > 1:
            text += f" Compares {get_text_list([fw.name for fw in self.frameworks], 'and')}."
        return text


def _long_date(day: date) -> str:
    return format_date(day, "j F Y")


def key_figures(board: Board, frameworks: Sequence[Framework]) -> tuple[Metric | None, list[KeyFigure]]:
    """The figures a card shows for these frameworks, and the metric they share when there are several."""
    if len(frameworks) == 1:
        framework = frameworks[0]
        return None, [
            KeyFigure(fig.metric.label, fig.metric.name, fig, framework)
            for fig in board.figures(framework)[:MAX_FIGURES]
        ]
    shown = list(frameworks)[:MAX_FIGURES]
    rows = [board.row(metric, shown) for metric in board.metrics]
    counts = [sum(1 for fig in row if fig.measurement) for row in rows]
    if not shown or not any(counts):
        return None, []
    row = rows[counts.index(max(counts))]  # the first metric measured for the most of them
    return row[0].metric, [KeyFigure(fw.name, fw.name, fig, fw) for fw, fig in zip(shown, row, strict=True)]


def social_card(
    *, kind: str, title: str, path: str, board: Board, frameworks: Sequence[Framework], subtitle: str = ""
) -> SocialCard:
    """A card for any page about these frameworks; the page's own builder names its kind, title and URL."""
    metric, figures = key_figures(board, frameworks)
    return SocialCard(
        kind=kind,
        title=title,
        path=path,
        figures=figures,
        metric=metric,
        frameworks=list(frameworks),
        subtitle=subtitle,
    )


def framework_card(framework: Framework, board: Board) -> SocialCard:
    return social_card(
        kind=f"Framework · {framework.language}" if framework.language else "Framework",
        title=framework.name,
        subtitle=framework.tagline,
        path=reverse("cards:framework", kwargs={"slug": framework.slug}),
        board=board,
        frameworks=[framework],
    )


def comparison_card(frameworks: Sequence[Framework], board: Board) -> SocialCard:
    """The card of a compare page; ``frameworks`` in the page's order (by slug, as ``find_frameworks`` gives)."""
    return social_card(
        kind="Comparison",
        title=" vs ".join(fw.name for fw in frameworks),
        path=reverse("cards:compare", kwargs={"slugs": SEPARATOR.join(sorted(fw.slug for fw in frameworks))}),
        board=board,
        frameworks=frameworks,
    )
