"""Everything a compare page shows, for any 2 to 4 published frameworks.

``load_comparison`` reads the catalogue and the guides covering the
frameworks in a fixed number of queries, whatever the size of the catalogue.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from articles.models import Article
from frameworks.charts import Chart, build_chart
from frameworks.models import Adoption, Framework, Metric
from frameworks.selectors import Board, CapabilityRow, Figure, group_adoptions, load_board


@dataclass
class MetricRow:
    metric: Metric
    cells: list[Figure]
    chart: Chart | None = None


@dataclass
class Comparison:
    frameworks: list[Framework]
    board: Board
    metric_rows: list[MetricRow] = field(default_factory=list)
    capability_rows: list[CapabilityRow] = field(default_factory=list)
    adopters: list[tuple[Framework, list[tuple[str, list[Adoption]]]]] = field(default_factory=list)
    movements: list[Adoption] = field(default_factory=list)
    shared_adopters: list[tuple[str, list[Framework]]] = field(default_factory=list)
    guides: list[Article] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " vs ".join(fw.name for fw in self.frameworks)


def load_comparison(frameworks: Sequence[Framework]) -> Comparison:
    """Everything a compare page shows. Queries: 8 (the board 6, guides and their categories 2)."""
    frameworks = list(frameworks)
    board = load_board(frameworks, history=True, with_capabilities=True, with_adoptions=True)
    ids = {fw.pk for fw in frameworks}
    comparison = Comparison(frameworks=frameworks, board=board)

    for metric in board.metrics:
        cells = board.row(metric, frameworks)
        if any(c.measurement for c in cells):
            chart = build_chart(metric, frameworks, board.history)
            comparison.metric_rows.append(MetricRow(metric, cells, chart))

    comparison.capability_rows = [row for row in board.capability_rows(frameworks) if any(row.cells)]

    users: dict[str, list[Framework]] = defaultdict(list)
    for fw in frameworks:
        adoptions = board.adoptions.get(fw.pk, [])
        comparison.adopters.append((fw, group_adoptions(adoptions)))
        for a in adoptions:
            a.framework = fw
            if a.relation != Adoption.Relation.MIGRATING_AWAY:
                users[a.organization.name].append(fw)
            if a.relation == Adoption.Relation.MIGRATED_FROM and a.other_framework_id in ids:
                comparison.movements.append(a)
    comparison.shared_adopters = sorted((name, fws) for name, fws in users.items() if len(fws) > 1)

    comparison.guides = list(
        Article.objects.published()
        .annotate(covered=Count("frameworks", filter=Q(frameworks__in=ids), distinct=True))
        .filter(covered__gt=0)
        .order_by("-covered", "-publish_at", "-id")
        .prefetch_related("categories")
    )
    return comparison
