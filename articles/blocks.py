"""Turn a guide's sections into what their templates render.

Each section kind has a builder here and a template in
``templates/articles/sections/<kind>.html``. Builders only read the Board,
which was loaded once for the whole guide, so rendering a guide costs the
same number of queries whatever it contains.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frameworks.charts import build_chart
from frameworks.selectors import Board, CapabilityRow, Figure, load_board

from .models import Section


@dataclass
class Block:
    section: Section
    data: Any = None

    @property
    def template_name(self) -> str:
        return self.section.template_name


@dataclass
class TableRow:
    metric: Any
    cells: list[Figure]


def _profile(section: Section, board: Board, frameworks: Sequence) -> dict:
    framework = section.framework
    return {
        "framework": framework,
        "figures": board.figures(framework),
        "adoptions": board.adoptions.get(framework.pk, []),
    }


def _table(section: Section, board: Board, frameworks: Sequence) -> list[TableRow]:
    metrics = list(section.metrics.all()) or board.metrics
    return [TableRow(metric, board.row(metric, frameworks)) for metric in metrics]


def _matrix(section: Section, board: Board, frameworks: Sequence) -> list[CapabilityRow]:
    chosen = {c.pk for c in section.capabilities.all()}
    return board.capability_rows(frameworks, [c for c in board.capabilities if not chosen or c.pk in chosen])


def _chart(section: Section, board: Board, frameworks: Sequence):
    return build_chart(section.metric, frameworks, board.history)


BUILDERS: dict[str, Callable[[Section, Board, Sequence], Any]] = {
    Section.Kind.PROFILE: _profile,
    Section.Kind.TABLE: _table,
    Section.Kind.MATRIX: _matrix,
    Section.Kind.CHART: _chart,
}


def build_blocks(sections: Sequence[Section], frameworks: Sequence) -> tuple[list[Block], Board]:
    """Load the catalogue data the sections need, then build each block.

    Tables, matrices and charts show the guide's own frameworks; a profile
    card may show any framework, so those are loaded too.
    """
    kinds = {s.kind for s in sections}
    profiled = [s.framework for s in sections if s.kind == Section.Kind.PROFILE and s.framework]
    shown = list(frameworks) + [fw for fw in profiled if fw not in frameworks]
    board = load_board(
        shown,
        history={s.metric_id for s in sections if s.kind == Section.Kind.CHART},
        with_capabilities=Section.Kind.MATRIX in kinds,
        with_adoptions=Section.Kind.PROFILE in kinds,
    )
    blocks = []
    for section in sections:
        builder = BUILDERS.get(section.kind)
        blocks.append(Block(section, builder(section, board, frameworks) if builder else None))
    return blocks, board


@dataclass
class Source:
    """One source named once, with the metrics it backs and the addresses of its figures."""

    name: str
    metrics: list[str]
    urls: list[str]


def _metric_label(metric) -> str:
    """A metric's short label in running text: "Stars" reads "stars"; "SO questions" and "GitHub stars" keep
    their capitals."""
    label = metric.label
    first_word = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first_word[1:].islower() else label


def sources_of(board: Board) -> list[Source]:
    """The sources behind the guide's current figures, one per source name, ordered by name.

    Each lists the metrics it backs, in the catalogue's order, and its
    addresses; an address under another one of the same source (a
    repository's forks page under the repository) is covered by that one.
    Reads only the Board: no queries.
    """
    position = {metric.pk: i for i, metric in enumerate(board.metrics)}
    grouped: dict[str, tuple[dict, set[str]]] = {}
    for m in board.current.values():
        metrics, urls = grouped.setdefault(m.source_name, ({}, set()))
        metrics[m.metric_id] = m.metric
        urls.add(m.source_url)
    sources = []
    for name, (metrics, urls) in sorted(grouped.items(), key=lambda item: (item[0].casefold(), item[0])):
        kept: list[str] = []
        for url in sorted(urls, key=lambda u: (len(u), u)):
            if not any(url.startswith(parent.rstrip("/") + "/") for parent in kept):
                kept.append(url)
        ordered = sorted(metrics.values(), key=lambda metric: (position.get(metric.pk, len(position)), metric.name))
        sources.append(Source(name, [_metric_label(metric) for metric in ordered], sorted(kept)))
    return sources
