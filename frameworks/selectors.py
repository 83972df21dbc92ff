"""Reads of the catalogue that pages share.

Each function runs a fixed number of queries whatever the number of
frameworks, metrics or measurements, so pages that use them keep a fixed
query count (pinned in the tests).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from .models import Adoption, Capability, CollectionRun, Framework, Measurement, Metric, ReviewItem, Support


@dataclass
class Figure:
    """One metric of one framework: its current measurement (or None)."""

    metric: Metric
    measurement: Measurement | None
    is_best: bool = False

    @property
    def display(self) -> str:
        return self.metric.format(self.measurement.value if self.measurement else None)


@dataclass
class CapabilityRow:
    """One capability across frameworks: each framework's Support, or None."""

    capability: Capability
    cells: list[Support | None]


@dataclass
class Board:
    """What the catalogue knows about a set of frameworks, loaded up front."""

    frameworks: list[Framework]
    metrics: list[Metric]
    current: dict[tuple[int, int], Measurement] = field(default_factory=dict)
    history: dict[tuple[int, int], list[Measurement]] = field(default_factory=dict)
    capabilities: list[Capability] = field(default_factory=list)
    supports: dict[tuple[int, int], Support] = field(default_factory=dict)
    adoptions: dict[int, list[Adoption]] = field(default_factory=dict)

    def figure(self, framework: Framework, metric: Metric) -> Figure:
        return Figure(metric, self.current.get((framework.pk, metric.pk)))

    def figures(self, framework: Framework, metrics: Iterable[Metric] | None = None) -> list[Figure]:
        """The framework's current figures, skipping metrics it was never measured on."""
        return [
            fig
            for metric in (self.metrics if metrics is None else metrics)
            if (fig := self.figure(framework, metric)).measurement
        ]

    def row(self, metric: Metric, frameworks: Sequence[Framework] | None = None) -> list[Figure]:
        """One metric across frameworks, with the best value marked."""
        row = [self.figure(fw, metric) for fw in (self.frameworks if frameworks is None else frameworks)]
        measured = [f for f in row if f.measurement]
        if len(measured) > 1:
            best = measured[0]
            for fig in measured[1:]:
                if metric.better(fig.measurement.value, best.measurement.value):
                    best = fig
            ties = [f for f in measured if f.measurement.value == best.measurement.value]
            if len(ties) < len(measured):
                for fig in ties:
                    fig.is_best = True
        return row

    def capability_rows(
        self, frameworks: Sequence[Framework] | None = None, capabilities: Iterable[Capability] | None = None
    ) -> list["CapabilityRow"]:
        """How each capability is offered by each framework (None where nothing is recorded)."""
        frameworks = self.frameworks if frameworks is None else frameworks
        return [
            CapabilityRow(cap, [self.supports.get((fw.pk, cap.pk)) for fw in frameworks])
            for cap in (self.capabilities if capabilities is None else capabilities)
        ]

    def latest_as_of(self) -> date | None:
        dates = [m.as_of for m in self.current.values()]
        return max(dates) if dates else None

    def oldest_as_of(self) -> date | None:
        dates = [m.as_of for m in self.current.values()]
        return min(dates) if dates else None


def current_figures(
    *, frameworks: Iterable | None = None, metrics: Sequence[Metric] | None = None
) -> dict[tuple[int, int], Measurement]:
    """The current figure of each framework and metric, keyed by (framework id, metric id). One query.

    The one place that reads current figures for pages, services and admin
    screens alike. ``frameworks`` (objects or ids) and ``metrics`` (Metric
    objects) narrow the read; each figure's ``metric`` is set from
    ``metrics`` when given, else joined in.
    """
    rows = Measurement.objects.current()
    if frameworks is not None:
        rows = rows.filter(framework__in=list(frameworks))
    if metrics is not None:
        by_id = {m.pk: m for m in metrics}
        rows = rows.filter(metric__in=list(by_id))
    else:
        rows = rows.select_related("metric")
    current = {}
    # No ORDER BY: rows go into a dict, and the default ordering would join two tables to sort.
    for m in rows.order_by():
        if metrics is not None:
            m.metric = by_id[m.metric_id]
        current[(m.framework_id, m.metric_id)] = m
    return current


RELATION_ORDER = [
    Adoption.Relation.USES,
    Adoption.Relation.ALSO_USES,
    Adoption.Relation.MIGRATED_FROM,
    Adoption.Relation.MIGRATING_AWAY,
]


def group_adoptions(adoptions: Iterable[Adoption]) -> list[tuple[str, list[Adoption]]]:
    """Adoptions grouped by relation ("Uses", "Migrated from", ...), in a fixed order."""
    grouped: dict[str, list[Adoption]] = defaultdict(list)
    for a in adoptions:
        grouped[a.relation].append(a)
    return [(Adoption.Relation(r).label, grouped[r]) for r in RELATION_ORDER if grouped.get(r)]


def stale_current_count() -> int:
    """How many current figures (the latest per framework and metric) are stale, in one query."""
    current = Measurement.objects.current().values("pk")
    return Measurement.objects.filter(pk__in=current).stale().count()


def load_board(
    frameworks: Sequence[Framework],
    *,
    history: bool | Iterable[int] = False,
    with_capabilities: bool = False,
    with_adoptions: bool = False,
) -> Board:
    """Load current figures (and optionally history, support, adopters).

    ``history`` is True for every metric's history, or the ids of the metrics
    whose history is wanted. Queries: 2 (metrics, current figures), plus 1
    for history, 2 for capabilities, 1 for adoptions, each only when asked.
    """
    frameworks = list(frameworks)
    ids = [fw.pk for fw in frameworks]
    board = Board(frameworks=frameworks, metrics=list(Metric.objects.all()))
    metrics_by_id = {m.pk: m for m in board.metrics}

    board.current = current_figures(frameworks=ids, metrics=board.metrics)

    if history:
        rows = Measurement.objects.filter(framework_id__in=ids).order_by("as_of", "id")
        if history is not True:
            rows = rows.filter(metric_id__in=list(history))
        for m in rows:
            m.metric = metrics_by_id[m.metric_id]
            board.history.setdefault((m.framework_id, m.metric_id), []).append(m)

    if with_capabilities:
        board.capabilities = list(Capability.objects.all())
        for s in Support.objects.filter(framework_id__in=ids):
            board.supports[(s.framework_id, s.capability_id)] = s

    if with_adoptions:
        grouped: dict[int, list[Adoption]] = defaultdict(list)
        adoptions = Adoption.objects.filter(framework_id__in=ids).select_related("organization", "other_framework")
        for a in adoptions.order_by("organization__name"):
            grouped[a.framework_id].append(a)
        board.adoptions = dict(grouped)
    return board


def collection_summary(failing_days: int = 3) -> dict:
    """For the admin index: the last collection run, what waits for review, frameworks failing for days."""
    since = timezone.now() - timedelta(days=failing_days)
    failing = Framework.objects.filter(source_states__failing_since__lt=since).distinct().order_by("name")
    return {
        "last_run": CollectionRun.objects.first(),
        "waiting": ReviewItem.objects.waiting().count(),
        "failing": list(failing.only("pk", "name")[:20]),
        "failing_days": failing_days,
    }
