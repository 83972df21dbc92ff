"""Comparisons of any 2 to 4 published frameworks, generated from the data.

A set of frameworks has one canonical URL: its slugs in alphabetical order,
joined by ``-vs-``. ``resolve_slugs`` tells a view whether a requested path
is that canonical form, another order of it (redirect) or no valid set (404).
``load_comparison`` reads everything the page shows in a fixed number of
queries, whatever the size of the catalogue.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from articles.models import Article, ArticleFramework

from .charts import Chart, build_chart
from .models import Adoption, Capability, Framework, Metric, Support
from .selectors import Board, Figure, load_board

SEPARATOR = "-vs-"
MIN_FRAMEWORKS = 2
MAX_FRAMEWORKS = 4


def canonical_path(slugs: Iterable[str]) -> str:
    """The one URL of a set of frameworks: slugs sorted, joined by -vs-."""
    return reverse("compare:detail", kwargs={"slugs": SEPARATOR.join(sorted(slugs))})


def compare_url(frameworks: Iterable[Framework]) -> str | None:
    """The compare page of these frameworks, or None if they cannot form one."""
    slugs = {fw.slug for fw in frameworks}
    if not MIN_FRAMEWORKS <= len(slugs) <= MAX_FRAMEWORKS:
        return None
    return canonical_path(slugs)


def split_slugs(slugs: str) -> list[str] | None:
    """The slugs named in a compare path, or None if they cannot form a set."""
    parts = slugs.split(SEPARATOR)
    if not MIN_FRAMEWORKS <= len(parts) <= MAX_FRAMEWORKS or len(set(parts)) != len(parts) or "" in parts:
        return None
    return parts


def find_frameworks(slugs: Sequence[str]) -> list[Framework] | None:
    """The published frameworks named, in alphabetical slug order; None if any is unknown. One query."""
    frameworks = list(Framework.objects.published().filter(slug__in=slugs).order_by("slug"))
    return frameworks if len(frameworks) == len(slugs) else None


@dataclass
class MetricRow:
    metric: Metric
    cells: list[Figure]
    chart: Chart | None = None


@dataclass
class CapabilityRow:
    capability: Capability
    cells: list[Support | None]


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

    for cap in board.capabilities:
        cells = [board.supports.get((fw.pk, cap.pk)) for fw in frameworks]
        if any(cells):
            comparison.capability_rows.append(CapabilityRow(cap, cells))

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


def guides_with_frameworks():
    """Published guides with their published frameworks, ready for ``guide_comparisons``."""
    return Article.objects.published().prefetch_related(
        "categories",
        Prefetch(
            "article_frameworks",
            queryset=ArticleFramework.objects.filter(framework__in=Framework.objects.published()).select_related(
                "framework"
            ),
        ),
    )


def guide_comparisons(guides: Iterable[Article]) -> list[tuple[str, list[Framework]]]:
    """The compare pages these guides link to: (path, frameworks), once each.

    The guides must come from ``guides_with_frameworks`` (or prefetch the same way).
    """
    seen: dict[str, list[Framework]] = {}
    for guide in guides:
        frameworks = [af.framework for af in guide.article_frameworks.all()]
        path = compare_url(frameworks)
        if path and path not in seen:
            seen[path] = sorted(frameworks, key=lambda fw: fw.slug)
    return list(seen.items())
