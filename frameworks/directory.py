"""Every published framework with its current figures: what the home page's leaders are still taken from.

The directory page itself is ``comparisons.directory`` (a page at a time, in
SQL); this goes once the home page takes its leaders from one limited query.
"""

from dataclasses import dataclass

from .models import Framework, Metric
from .selectors import Board, Figure, load_board


@dataclass
class DirectoryRow:
    framework: Framework
    figures: list[Figure]


@dataclass
class Directory:
    board: Board
    rows: list[DirectoryRow]
    sort: str
    sort_metric: Metric | None

    @property
    def metrics(self) -> list[Metric]:
        return self.board.metrics


def sort_key(row: DirectoryRow, metric: Metric):
    """Measured frameworks first, best value first; the rest by name."""
    fig = next(f for f in row.figures if f.metric.pk == metric.pk)
    if fig.measurement is None:
        return (1, 0, row.framework.name.lower())
    value = fig.measurement.value
    return (0, -value if metric.higher_is_better else value, row.framework.name.lower())


def load_directory(sort: str = "") -> Directory:
    """Rows sorted by ``sort`` (a metric slug; anything else sorts by name). Queries: 3."""
    frameworks = list(Framework.objects.published())
    board = load_board(frameworks)
    rows = [DirectoryRow(fw, [board.figure(fw, m) for m in board.metrics]) for fw in frameworks]
    metric = next((m for m in board.metrics if m.slug == sort), None)
    if metric:
        rows.sort(key=lambda row: sort_key(row, metric))
    return Directory(board=board, rows=rows, sort=metric.slug if metric else "name", sort_metric=metric)


def top_frameworks(directory: Directory, count: int = 6) -> list[DirectoryRow]:
    """The leaders on the first metric (by position), for the home page teaser."""
    if not directory.metrics:
        return directory.rows[:count]
    metric = directory.metrics[0]
    return sorted(directory.rows, key=lambda row: sort_key(row, metric))[:count]
