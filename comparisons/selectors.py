"""Everything a compare page shows, for any 2 to 4 published frameworks.

``load_comparison`` reads the catalogue and the guides covering the
frameworks in a fixed number of queries, whatever the size of the catalogue.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Window

from articles.models import Article, ArticleFramework, published_q
from frameworks.charts import Chart, build_chart
from frameworks.models import Adoption, Framework, Metric, Organization
from frameworks.selectors import AdopterGroup, Board, CapabilityRow, Figure, capped, load_board

GUIDES_SHOWN = 6  # newest first on framework and compare pages; the rest behind "All N guides"
SHARED_SHOWN = 12  # organisations using more than one of the compared frameworks
MOVEMENTS_SHOWN = 12  # migrations between the compared frameworks


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
    adopters: list[tuple[Framework, list[AdopterGroup], int]] = field(default_factory=list)  # (fw, groups, in all)
    movements: list[Adoption] = field(default_factory=list)
    movements_total: int = 0
    shared_adopters: list[tuple[str, list[Framework]]] = field(default_factory=list)
    shared_total: int = 0
    guides: list[Article] = field(default_factory=list)
    guides_total: int = 0

    @property
    def title(self) -> str:
        return " vs ".join(fw.name for fw in self.frameworks)


def load_comparison(frameworks: Sequence[Framework]) -> Comparison:
    """Everything a compare page shows, each list capped with its full count.

    Adopters: ADOPTERS_SHOWN per framework and relation (``load_board``); migrations between
    the frameworks: MOVEMENTS_SHOWN; organisations using more than one: SHARED_SHOWN; guides:
    GUIDES_SHOWN, those covering the most of the frameworks first, then the newest.
    Queries: at most 15 (the board 7; migrations 2; shared adopters 3, or 2 when there are none;
    guides 3: their ranking with the total, rows and categories), whatever the size of the catalogue.
    """
    frameworks = list(frameworks)
    board = load_board(frameworks, history=True, with_capabilities=True, with_adoptions=True)
    ids = [fw.pk for fw in frameworks]
    by_id = {fw.pk: fw for fw in frameworks}
    comparison = Comparison(frameworks=frameworks, board=board)

    for metric in board.metrics:
        cells = board.row(metric, frameworks)
        if any(c.measurement for c in cells):
            chart = build_chart(metric, frameworks, board.history)
            comparison.metric_rows.append(MetricRow(metric, cells, chart))

    comparison.capability_rows = [row for row in board.capability_rows(frameworks) if any(row.cells)]

    for fw in frameworks:
        comparison.adopters.append((fw, board.adopter_groups(fw), board.adopters_in_all(fw)))

    moved = Adoption.objects.filter(
        framework_id__in=ids, other_framework_id__in=ids, relation=Adoption.Relation.MIGRATED_FROM
    ).select_related("organization", "other_framework")
    comparison.movements, comparison.movements_total = capped(
        moved.order_by("organization__name", "id"), MOVEMENTS_SHOWN
    )
    for a in comparison.movements:
        a.framework = by_id[a.framework_id]

    using = Adoption.objects.filter(framework_id__in=ids).exclude(relation=Adoption.Relation.MIGRATING_AWAY)
    several = using.values("organization").annotate(n=Count("framework", distinct=True)).filter(n__gt=1)
    # The organisations' ids in one grouping pass (their number is the total), then the first few by name:
    # a LIMIT and a COUNT would group every adoption of the frameworks twice.
    shared_ids = list(several.order_by().values_list("organization", flat=True))
    comparison.shared_total = len(shared_ids)
    shared = (
        list(Organization.objects.filter(pk__in=shared_ids).order_by("name", "pk")[:SHARED_SHOWN]) if shared_ids else []
    )
    uses: dict[int, list[Framework]] = defaultdict(list)
    if shared:
        for org_id, fw_id in using.filter(organization__in=shared).values_list("organization_id", "framework_id"):
            uses[org_id].append(by_id[fw_id])
    comparison.shared_adopters = [(org.name, sorted(uses[org.pk], key=lambda fw: ids.index(fw.pk))) for org in shared]

    # Ranked on ArticleFramework ids alone (most of the frameworks covered, then newest), then the few read.
    # Driven from the compared frameworks' links (an index), each link's guide checked by its key.
    covering = ArticleFramework.objects.filter(published_q("article__"), framework_id__in=ids)
    # The total rides along as a window over the groups (COUNT(*) OVER ()): one pass, not a second COUNT.
    ranked = (
        covering.values("article")
        .annotate(covered=Count("framework"), total=Window(Count("*")))
        .order_by("-covered", "-article__publish_at", "-article_id")
        .values_list("article", "total")
    )
    top_rows = list(ranked[:GUIDES_SHOWN])
    top = [article for article, _ in top_rows]
    comparison.guides_total = top_rows[0][1] if top_rows else 0
    guides = Article.objects.prefetch_related("categories").in_bulk(top)
    comparison.guides = [guides[pk] for pk in top]
    return comparison
