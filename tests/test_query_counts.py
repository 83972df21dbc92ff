"""Every public page runs a fixed number of queries, whatever the size of the catalogue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from articles.models import Article, ArticleFramework, Category, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support

pytestmark = pytest.mark.django_db

METRICS = 5
DATES = 10  # 5 metrics x 10 dates = 50 measurements per framework


def build_catalogue(n: int) -> list[Framework]:
    """n published frameworks with 50 measurements each, support rows, adopters and a guide on two of them."""
    metrics = [
        Metric.objects.create(name=f"Metric {i}", slug=f"metric-{i}", position=i, higher_is_better=i != 4)
        for i in range(METRICS)
    ]
    capabilities = [Capability.objects.create(name=f"Capability {i}", slug=f"cap-{i}") for i in range(3)]
    frameworks = Framework.objects.bulk_create(
        [Framework(name=f"Framework {i:03}", slug=f"fw-{i:03}", tagline=f"Tagline {i}") for i in range(n)]
    )
    Measurement.objects.bulk_create(
        Measurement(
            framework=fw,
            metric=metric,
            value=Decimal(1000 * (i + 1) + d * 10 + m),
            as_of=date(2019, 1, 1) + timedelta(days=30 * d),
            source_name="GitHub",
            source_url="https://github.com/example/example",
        )
        for i, fw in enumerate(frameworks)
        for m, metric in enumerate(metrics)
        for d in range(DATES)
    )
    Support.objects.bulk_create(
        Support(framework=fw, capability=cap, level=Support.Level.BUILT_IN) for fw in frameworks for cap in capabilities
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Org {i}", slug=f"org-{i}") for i in range(n)
    )
    Adoption.objects.bulk_create(
        Adoption(
            organization=org,
            framework=fw,
            relation=Adoption.Relation.MIGRATED_FROM,
            other_framework=frameworks[(i + 1) % n],
        )
        for i, (org, fw) in enumerate(zip(orgs, frameworks))
    )
    category = Category.objects.create(name="Web", slug="web")
    for g in range(3):
        article = Article.objects.create(
            title=f"Guide {g}", slug=f"guide-{g}", status=Article.Status.PUBLISHED,
            publish_at=date(2020, 1, 1 + g).isoformat() + "T09:00Z", summary="About frameworks.",
        )
        article.categories.add(category)
        ArticleFramework.objects.bulk_create(
            ArticleFramework(article=article, framework=fw, position=p) for p, fw in enumerate(frameworks[g : g + 2])
        )
    guide = Article.objects.get(slug="guide-0")
    sections = [
        Section(article=guide, kind=Section.Kind.PROSE, body="Some *prose*.", heading="Intro", position=1),
        Section(article=guide, kind=Section.Kind.PROFILE, framework=frameworks[0], position=2),
        Section(article=guide, kind=Section.Kind.TABLE, heading="Figures", position=3),
        Section(article=guide, kind=Section.Kind.MATRIX, heading="Capabilities", position=4),
        Section(article=guide, kind=Section.Kind.CHART, metric=metrics[0], position=5),
        Section(article=guide, kind=Section.Kind.QUOTE, body="Quoted.", position=6),
    ]
    for s in sections:
        s.save()
    return frameworks


PAGES = {
    "home": (lambda fws: reverse("articles:home"), 6),
    "guide": (lambda fws: reverse("articles:detail", kwargs={"slug": "guide-0"}), 12),
    "category": (lambda fws: reverse("articles:category", kwargs={"slug": "web"}), 3),
    "directory": (lambda fws: reverse("frameworks:list"), 3),
    "directory-sorted": (lambda fws: reverse("frameworks:list") + "?sort=metric-4", 3),
    "framework": (lambda fws: fws[0].get_absolute_url(), 12),
    "compare-2": (lambda fws: reverse("compare:detail", kwargs={"slugs": "fw-000-vs-fw-001"}), 10),
    "compare-4": (lambda fws: reverse("compare:detail", kwargs={"slugs": "fw-000-vs-fw-001-vs-fw-002-vs-fw-003"}), 9),
    "guides-rss": (lambda fws: reverse("feeds:guides-rss"), 2),
    "guides-atom": (lambda fws: reverse("feeds:guides-atom"), 2),
    "figures-rss": (lambda fws: reverse("feeds:figures"), 1),
    "framework-figures-rss": (lambda fws: reverse("feeds:framework-figures", kwargs={"slug": "fw-000"}), 2),
    "sitemap": (lambda fws: reverse("sitemap"), 9),
}


@pytest.mark.parametrize("size", [5, 200])
def test_query_counts_are_fixed(client, django_assert_num_queries, size):
    """One catalogue per size (building it is the slow part), then every page against its pinned count."""
    frameworks = build_catalogue(size)
    for page, (url, expected) in PAGES.items():
        with django_assert_num_queries(expected, info=page):
            response = client.get(url(frameworks))
        assert response.status_code == 200, page
