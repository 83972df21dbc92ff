"""Reads of the catalogue that pages share.

Each function runs a fixed number of queries whatever the number of
frameworks, metrics or measurements, so pages that use them keep a fixed
query count (pinned in the tests).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Adoption, Capability, CollectionRun, Framework, Measurement, Metric, ReviewItem, Support


@dataclass
class Figure:
    """One metric of one framework: its current measurement (or None)."""

    metric: Metric
    measurement: Measurement | None
    is_best: bool = False
    framework: Framework | None = None  # whose figure: labels the cell where a phone stacks a table

    @property
    def display(self) -> str:
        return self.metric.format(self.measurement.value if self.measurement else None)


@dataclass
class CapabilityRow:
    """One capability across frameworks: each framework's Support, or None."""

    capability: Capability
    cells: list[Support | None]
    frameworks: Sequence[Framework] = ()  # in the order of `cells`

    @property
    def columns(self) -> list[tuple[Framework, Support | None]]:
        """Each framework with its Support (or None): labels the cells where a phone stacks the matrix."""
        return list(zip(self.frameworks, self.cells, strict=True))


@dataclass
class Board:
    """What the catalogue knows about a set of frameworks, loaded up front."""

    frameworks: list[Framework]
    metrics: list[Metric]
    current: dict[tuple[int, int], Measurement] = field(default_factory=dict)
    history: dict[tuple[int, int], list[Measurement]] = field(default_factory=dict)
    capabilities: list[Capability] = field(default_factory=list)
    supports: dict[tuple[int, int], Support] = field(default_factory=dict)
    adoptions: dict[int, list[Adoption]] = field(default_factory=dict)  # capped: see load_board
    adoption_totals: dict[tuple[int, str], int] = field(default_factory=dict)  # (framework id, relation) -> count

    def figure(self, framework: Framework, metric: Metric) -> Figure:
        return Figure(metric, self.current.get((framework.pk, metric.pk)), framework=framework)

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
            CapabilityRow(cap, [self.supports.get((fw.pk, cap.pk)) for fw in frameworks], frameworks)
            for cap in (self.capabilities if capabilities is None else capabilities)
        ]

    def adopter_groups(self, framework: Framework) -> list["AdopterGroup"]:
        """The framework's loaded adoptions by relation, each group with its full count."""
        totals = {relation: n for (fw, relation), n in self.adoption_totals.items() if fw == framework.pk}
        return group_adoptions(self.adoptions.get(framework.pk, []), totals)

    def adopters_in_all(self, framework: Framework) -> int:
        """How many adoptions the framework has in all (shown or not)."""
        return sum(n for (fw, _), n in self.adoption_totals.items() if fw == framework.pk)

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


def leaders(metric: Metric | None, count: int = 6) -> list[Framework]:
    """The `count` published frameworks best on `metric` by their current figure, best first.

    One limited query: the metric's figures in value order, best first (the
    measurement_value index, read from the right end), keeping only current
    ones (no later figure of the same framework and metric) of published
    frameworks, LIMIT `count`. The database stops after `count` current
    figures, so the cost does not grow with the catalogue. Ties go to the
    figure recorded first (higher-is-better) or last. If fewer than `count`
    frameworks are measured, a second query adds unmeasured ones by name.
    Each framework gets ``figure``: a Figure of `metric` (its measurement
    None if never measured). With no metric: the first `count` by name.
    Queries: 1, or 2 when fewer than `count` frameworks have a figure.
    """
    frameworks = Framework.objects.published()
    chosen: list[Framework] = []
    if metric is not None:
        newer = Measurement.objects.filter(framework=OuterRef("framework"), metric=metric).filter(
            Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk"))
        )
        order = ["-value", "-id"] if metric.higher_is_better else ["value", "id"]
        current = (
            Measurement.objects.filter(metric=metric)
            .filter(Exists(frameworks.filter(pk=OuterRef("framework"))))
            .exclude(Exists(newer))
            .select_related("framework")
            .order_by(*order)[:count]
        )
        for measurement in current:
            measurement.metric = metric
            measurement.framework.figure = Figure(metric, measurement)
            chosen.append(measurement.framework)
    if len(chosen) < count:
        rest = frameworks.exclude(pk__in=[fw.pk for fw in chosen]).order_by("name")[: count - len(chosen)]
        for fw in rest:
            fw.figure = Figure(metric, None) if metric is not None else None
            chosen.append(fw)
    return chosen


RELATION_ORDER = [
    Adoption.Relation.USES,
    Adoption.Relation.ALSO_USES,
    Adoption.Relation.MIGRATED_FROM,
    Adoption.Relation.MIGRATING_AWAY,
]

ADOPTERS_SHOWN = 12  # adoptions a page shows per (framework, relation) group; the rest are behind "All N adopters"


@dataclass
class AdopterGroup:
    """One relation's adoptions of a framework ("Uses", ...): those shown, and how many there are in all."""

    label: str
    adoptions: list[Adoption]
    total: int

    @property
    def more(self) -> int:
        """How many are not shown."""
        return self.total - len(self.adoptions)


def group_adoptions(adoptions: Iterable[Adoption], totals: dict[str, int] | None = None) -> list[AdopterGroup]:
    """Adoptions grouped by relation ("Uses", "Migrated from", ...), in a fixed order.

    ``totals`` (relation -> count) gives each group's full size when the adoptions are a capped
    selection (as ``load_board`` loads them); without it a group's total is its length.
    """
    grouped: dict[str, list[Adoption]] = defaultdict(list)
    for a in adoptions:
        grouped[a.relation].append(a)
    return [
        AdopterGroup(Adoption.Relation(r).label, grouped[r], (totals or {}).get(r, len(grouped[r])))
        for r in RELATION_ORDER
        if grouped.get(r)
    ]


def departures(framework: Framework):
    """Adoptions of published frameworks by organisations that migrated away from `framework`, by name."""
    return Adoption.objects.filter(
        other_framework=framework,
        relation=Adoption.Relation.MIGRATED_FROM,
        framework__in=Framework.objects.published(),
    ).order_by("organization__name", "id")


def newest_adoptions(groups: Iterable[tuple[int, str]], shown: int) -> RawSQL:
    """The ids of the ``shown`` most recently recorded adoptions of each (framework id, relation) group,
    as a subquery: a UNION ALL of one ``ORDER BY id DESC LIMIT shown`` per group, each answered from
    index adoption_framework_relation without reading the rest of the group. A ranking window
    (ROW_NUMBER per group, by organisation name) sorted every adoption of a framework with 10,000
    adopters: 8 ms on SQLite, 20 ms on PostgreSQL. Django cannot union sliced querysets on SQLite,
    so the arms are Django's own SQL joined here.
    """
    arms, params = [], []
    for n, (framework_id, relation) in enumerate(sorted(groups)):
        newest = Adoption.objects.filter(framework_id=framework_id, relation=relation).order_by("-id").values("id")
        sql, arm_params = newest[:shown].query.sql_with_params()
        arms.append(f"SELECT id FROM ({sql}) AS newest_{n}")
        params.extend(arm_params)
    if not arms:  # no adopters: a subquery of the right type (PostgreSQL will not compare a NULL text to an id)
        arms.append(f'SELECT id FROM "{Adoption._meta.db_table}" WHERE 1 = 0')
    return RawSQL(" UNION ALL ".join(arms), params)


def capped(rows, shown: int) -> tuple[list, int]:
    """The first `shown` rows of a queryset and the number of rows in all. Queries: 2 (plus the
    queryset's prefetches), whatever the number of rows: a LIMIT and a COUNT. (A window count in
    one query would make the database carry every row's columns to the end: ten times slower.)"""
    return list(rows[:shown]), rows.count()


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
    adopters_shown: int = ADOPTERS_SHOWN,
) -> Board:
    """Load current figures (and optionally history, support, adopters).

    ``history`` is True for every metric's history, or the ids of the metrics
    whose history is wanted. Adoptions are capped: at most ``adopters_shown``
    per framework and relation, the most recently recorded (``newest_adoptions``),
    shown by organisation name, with each group's full count in
    ``adoption_totals`` (one index-only aggregate query), so a framework with
    10,000 adopters loads a dozen or so and sorts none of the rest.
    Queries: 2 (metrics, current figures), plus 1 for history, 2 for
    capabilities, 2 for adoptions (those shown, the counts), each only when asked.
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
        for row in (
            Adoption.objects.filter(framework_id__in=ids)
            .order_by()
            .values("framework_id", "relation")
            .annotate(n=Count("pk"))
        ):
            board.adoption_totals[(row["framework_id"], row["relation"])] = row["n"]
        shown = Adoption.objects.filter(pk__in=newest_adoptions(board.adoption_totals, adopters_shown))
        for a in shown.select_related("organization", "other_framework").order_by("organization__name", "id"):
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
