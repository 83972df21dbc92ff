"""A synthetic catalogue of any size, written in bulk: the query-count tests and `make bench` build on it.

``build_catalogue(size)`` leaves the database holding ``size`` frameworks, adding
synthetic ones ("Synthetic 0000", slug ``synthetic-0000``, ...) after any that
are there already (the seed, or an earlier call: the catalogue can be grown
in steps). Each framework it adds gets:

- a figure on every metric at each of ``dates`` dates, 30 days apart from
  1 January 2019 (5 metrics x 4 dates: 20 dated figures by default);
- a support row on every capability;
- an organisation of its own adopting it, having migrated from the synthetic
  framework added before it (the first one simply uses it); every
  organisation but the first also uses the first synthetic framework;
- a guide on the first synthetic framework, with a table section.

So the first synthetic framework is the one with the long lists: as many
adopters and as many guides as there are synthetic frameworks (the pages
must cap them).

Once, and kept up to date as the catalogue grows: metrics and capabilities
topped up to ``metrics`` and ``capabilities``; a guide comparing the first
``GUIDE_FRAMEWORKS`` synthetic frameworks (a realistic guide: no guide
compares thousands), with one section of each kind; ``pair_guides`` guides on
two neighbouring frameworks (0 and 1, 1 and 2, ...), each with a table
section; one category holding all these guides. Rows go in with bulk
inserts (10,000 frameworks take about 15 s on SQLite), which send no
signals, so it ends by rebuilding the search index and starting a new
page-cache generation.

Needs Django set up (pytest-django, or ``django.setup()`` as bench/run.py does).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection

from articles.models import Article, ArticleFramework, Category, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support
from pagecache import generation
from search import indexing

PREFIX = "synthetic"
EVERY_SECTION_GUIDE = f"every-section-{PREFIX}-guide"
FIRST_DATE = date(2019, 1, 1)
DATE_STEP = timedelta(days=30)
FIRST_PUBLISHED = datetime(2021, 1, 1, 9, tzinfo=UTC)
BATCH = 5000
GUIDE_FRAMEWORKS = 4  # the "every kind of section" guide compares this many synthetic frameworks


@dataclass(frozen=True)
class Catalogue:
    """What a build left in the database, for tests to point at."""

    frameworks: list[Framework]  # the synthetic frameworks in the order they were added: [0] is "the first"
    metrics: list[Metric]  # every metric, in table order
    capabilities: list[Capability]  # every capability, in matrix order
    category: Category  # holds every synthetic guide
    guide: Article  # compares the first GUIDE_FRAMEWORKS synthetic frameworks, one section of each kind


def build_catalogue(
    size: int, *, metrics: int = 5, dates: int = 4, capabilities: int = 3, pair_guides: int = 3
) -> Catalogue:
    """Grow the catalogue to `size` frameworks in all, as the module docstring says, and return it.

    `metrics` and `capabilities` are minimums: existing ones count and are used. A call that
    finds `size` or more frameworks already there adds none. Raises ValueError if no
    synthetic framework exists afterwards (the guides need one).
    """
    metric_rows = _top_up_metrics(metrics)
    capability_rows = _top_up_capabilities(capabilities)
    synthetic = list(Framework.objects.filter(slug__startswith=f"{PREFIX}-").order_by("pk"))
    start = len(synthetic)  # the number of the first framework this call adds
    synthetic += _add_frameworks(start, size - Framework.objects.count())
    if not synthetic:
        raise ValueError(f"No synthetic framework: the catalogue already holds {size} frameworks or more.")
    new = synthetic[start:]
    _add_figures(new, start, metric_rows, dates)
    Support.objects.bulk_create(
        Support(framework=fw, capability=cap, level=Support.Level.BUILT_IN) for fw in new for cap in capability_rows
    )
    _add_adopters(synthetic, start)
    category, _ = Category.objects.get_or_create(slug=f"{PREFIX}-guides", defaults={"name": "Synthetic guides"})
    guide = _every_section_guide(synthetic, metric_rows[0], category)
    first = synthetic[0]
    _add_guides(
        category,
        [(f"{PREFIX}-guide-{fw.slug}", f"Guide {n} on {first.name}", [first]) for n, fw in enumerate(new, start)]
        + [
            (f"{PREFIX}-pair-{a.slug}", f"{a.name} or {b.name}", [a, b])
            for a, b in zip(synthetic[:pair_guides], synthetic[1 : pair_guides + 1], strict=False)
        ],
    )
    indexing.rebuild()  # bulk inserts send no signals
    _refresh_planner_statistics()
    generation.bump()
    return Catalogue(synthetic, metric_rows, capability_rows, category, guide)


def _refresh_planner_statistics() -> None:
    """On PostgreSQL, ANALYZE what was just written, as autovacuum does on a live database after a bulk
    load. Inside a test's transaction autovacuum never sees the rows, so the planner would plan for
    empty tables: nested loops over 10,000 adopters took minutes a page. SQLite is left as a
    production database is (no sqlite_stat1 unless someone runs ANALYZE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _top_up_metrics(wanted: int) -> list[Metric]:
    """At least `wanted` metrics; odd-numbered synthetic ones are latencies (ms, lower is better)."""
    have, made = Metric.objects.count(), Metric.objects.filter(slug__startswith=f"{PREFIX}-").count()
    Metric.objects.bulk_create(
        Metric(
            name=f"Synthetic metric {k}",
            slug=f"{PREFIX}-metric-{k}",
            unit="ms" if k % 2 else "",
            decimal_places=2 if k % 2 else 0,
            higher_is_better=not k % 2,
            position=1000 + k,
        )
        for k in range(made, made + wanted - have)
    )
    return list(Metric.objects.all())


def _top_up_capabilities(wanted: int) -> list[Capability]:
    """At least `wanted` capabilities."""
    have, made = Capability.objects.count(), Capability.objects.filter(slug__startswith=f"{PREFIX}-").count()
    Capability.objects.bulk_create(
        Capability(name=f"Synthetic capability {k}", slug=f"{PREFIX}-capability-{k}", position=1000 + k)
        for k in range(made, made + wanted - have)
    )
    return list(Capability.objects.all())


def _add_frameworks(first: int, count: int) -> list[Framework]:
    """`count` new synthetic frameworks numbered from `first` (none if count <= 0), with their keys."""
    return Framework.objects.bulk_create(
        Framework(
            name=f"Synthetic {i:04d}",
            slug=f"{PREFIX}-{i:04d}",
            tagline=f"Generated framework number {i}.",
            year_created=2000 + i % 25,
            license="MIT",
            repository_url=f"https://example.org/{PREFIX}-{i:04d}",
            is_published=True,
        )
        for i in range(first, first + count)
    )


def _add_figures(frameworks: Sequence[Framework], start: int, metrics: Sequence[Metric], dates: int) -> None:
    """`dates` figures on every metric for each framework (numbered from `start`), each framework's different."""
    Measurement.objects.bulk_create(
        (
            Measurement(
                framework=fw,
                metric=metric,
                value=Decimal(1000 * (n + 1) + 10 * d + m),
                as_of=FIRST_DATE + d * DATE_STEP,
                source_name="GitHub",
                source_url="https://github.com/example/example",
            )
            for n, fw in enumerate(frameworks, start)
            for m, metric in enumerate(metrics)
            for d in range(dates)
        ),
        batch_size=BATCH,
    )


def _add_adopters(synthetic: Sequence[Framework], start: int) -> None:
    """An organisation for each of synthetic[start:]: it migrated from the framework before its own (the
    first simply uses its own), and all but the first organisation also use the first framework."""
    numbered = list(enumerate(synthetic[start:], start))
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Synthetic organisation {n:04d}", slug=f"{PREFIX}-org-{n:04d}") for n, _ in numbered
    )
    Adoption.objects.bulk_create(
        (
            Adoption(
                organization=org,
                framework=fw,
                relation=Adoption.Relation.MIGRATED_FROM,
                other_framework=synthetic[n - 1],
            )
            if n
            else Adoption(organization=org, framework=fw)
            for org, (n, fw) in zip(organizations, numbered, strict=True)
        ),
        batch_size=BATCH,
    )
    Adoption.objects.bulk_create(
        (
            Adoption(organization=org, framework=synthetic[0])
            for org, (n, _) in zip(organizations, numbered, strict=True)
            if n
        ),
        batch_size=BATCH,
    )


def _every_section_guide(synthetic: Sequence[Framework], metric: Metric, category: Category) -> Article:
    """The guide comparing the first GUIDE_FRAMEWORKS synthetic frameworks (those not in it yet are added, as
    the catalogue grows), one section of each kind."""
    guide, created = Article.objects.get_or_create(
        slug=EVERY_SECTION_GUIDE,
        defaults={
            "title": "Every kind of section",
            "summary": "The first synthetic frameworks side by side.",
            "status": Article.Status.PUBLISHED,
            "publish_at": FIRST_PUBLISHED,
        },
    )
    if created:
        guide.categories.add(category)
        sections = [
            Section(kind=Section.Kind.PROSE, heading="Why", body="Some **prose**."),
            Section(kind=Section.Kind.PROFILE, framework=synthetic[0]),
            Section(kind=Section.Kind.TABLE, heading="Figures"),
            Section(kind=Section.Kind.MATRIX, heading="Capabilities"),
            Section(kind=Section.Kind.CHART, metric=metric),
            Section(kind=Section.Kind.QUOTE, body="Quoted.", attribution="A reader"),
        ]
        for position, section in enumerate(sections, 1):
            section.article, section.position = guide, position
            section.full_clean()
            section.save()  # renders the Markdown
    compared = set(guide.article_frameworks.values_list("framework_id", flat=True))
    ArticleFramework.objects.bulk_create(
        (
            ArticleFramework(article=guide, framework=fw, position=position)
            for position, fw in enumerate(synthetic[:GUIDE_FRAMEWORKS])
            if fw.pk not in compared
        ),
        batch_size=BATCH,
    )
    return guide


def _add_guides(category: Category, guides: Sequence[tuple[str, str, Sequence[Framework]]]) -> None:
    """Published guides (slug, title, frameworks compared) in `category`, each with a table section;
    slugs already there are skipped."""
    existing = set(Article.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True))
    wanted = [g for g in guides if g[0] not in existing]
    start = Article.objects.filter(slug__startswith=f"{PREFIX}-").count()
    articles = Article.objects.bulk_create(
        (
            Article(
                title=title,
                slug=slug,
                summary=f"About {', '.join(fw.name for fw in frameworks)}.",
                status=Article.Status.PUBLISHED,
                publish_at=FIRST_PUBLISHED + timedelta(hours=start + i),
            )
            for i, (slug, title, frameworks) in enumerate(wanted, 1)
        ),
        batch_size=BATCH,
    )
    ArticleFramework.objects.bulk_create(
        (
            ArticleFramework(article=article, framework=fw, position=position)
            for article, (_, _, frameworks) in zip(articles, wanted, strict=True)
            for position, fw in enumerate(frameworks)
        ),
        batch_size=BATCH,
    )
    Article.categories.through.objects.bulk_create(
        (Article.categories.through(article=article, category=category) for article in articles), batch_size=BATCH
    )
    Section.objects.bulk_create(  # a table has no Markdown to render, so it can skip save()
        (Section(article=article, kind=Section.Kind.TABLE, caption="Figures", position=1) for article in articles),
        batch_size=BATCH,
    )
