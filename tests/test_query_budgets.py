"""Every public page runs the same number of queries at 5 and at 500 frameworks.

Each framework has 50 measurements (2 metrics x 25 dates), a support row and
an adopter; the guide compares every framework and has a section of each
kind, the category lists a guide per framework, each of which also
compares the first framework. Counts are for an uncached
render; a cached page runs none (see test_pagecache.py).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleFramework, Category, Section
from frameworks.models import Adoption, Organization
from tests.factories import make_article, make_catalogue, make_section

pytestmark = pytest.mark.django_db

SIZES = [5, 500]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-frameworks")
def size(request, settings):
    settings.PAGE_CACHE_ENABLED = False
    return request.param


def build_catalogue(n: int) -> dict:
    frameworks, metrics, _ = make_catalogue(n, n_dates=25)
    organizations = Organization.objects.bulk_create(Organization(name=f"Org {i}", slug=f"org-{i}") for i in range(n))
    Adoption.objects.bulk_create(
        Adoption(organization=org, framework=fw) for org, fw in zip(organizations, frameworks, strict=True)
    )
    Adoption.objects.bulk_create(Adoption(organization=org, framework=frameworks[0]) for org in organizations[1:])
    category = Category.objects.create(name="Web", slug="web")
    guide = make_article(title="Every framework", slug="every-framework")
    ArticleFramework.objects.bulk_create(
        ArticleFramework(article=guide, framework=fw, position=i) for i, fw in enumerate(frameworks)
    )
    make_section(guide, heading="Why")
    make_section(guide, Section.Kind.PROFILE, framework=frameworks[0])
    make_section(guide, Section.Kind.TABLE)
    make_section(guide, Section.Kind.MATRIX)
    make_section(guide, Section.Kind.CHART, metric=metrics[0])
    make_section(guide, Section.Kind.QUOTE, attribution="A reader")
    guides = Article.objects.bulk_create(
        Article(
            title=f"Guide {i}",
            slug=f"bulk-guide-{i}",
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(days=1),
        )
        for i in range(n)
    )
    ArticleFramework.objects.bulk_create(ArticleFramework(article=a, framework=frameworks[0]) for a in guides)
    Article.categories.through.objects.bulk_create(
        Article.categories.through(article=a, category=category) for a in [guide, *guides]
    )
    return {"framework": frameworks[0], "guide": guide, "category": category, "compare": frameworks[:2],
            "metric": metrics[0]}


PAGES = {
    "home": lambda c: reverse("articles:home"),
    "guide": lambda c: c["guide"].get_absolute_url(),
    "category": lambda c: c["category"].get_absolute_url(),
    "directory": lambda c: reverse("frameworks:list"),
    "directory-sorted": lambda c: reverse("frameworks:list") + f"?sort={c['metric'].slug}",
    "framework": lambda c: c["framework"].get_absolute_url(),
    "compare": lambda c: reverse(
        "compare:detail", kwargs={"slugs": "-vs-".join(sorted(fw.slug for fw in c["compare"]))}
    ),
    "guides-rss": lambda c: reverse("feeds:guides-rss"),
    "guides-atom": lambda c: reverse("feeds:guides-atom"),
    "figures-rss": lambda c: reverse("feeds:figures"),
    "framework-figures-rss": lambda c: reverse("feeds:framework-figures", kwargs={"slug": c["framework"].slug}),
    "sitemap": lambda c: reverse("sitemap"),
    "robots": lambda c: reverse("robots"),
}
BUDGET = {
    "home": 6, "guide": 12, "category": 3, "directory": 3, "directory-sorted": 3, "framework": 12, "compare": 10,
    "guides-rss": 2, "guides-atom": 2, "figures-rss": 1, "framework-figures-rss": 2, "sitemap": 9, "robots": 0,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_public_pages_run_a_fixed_number_of_queries(client, size):
    catalogue = build_catalogue(size)
    counts = {name: _count(client, url(catalogue)) for name, url in PAGES.items()}
    assert counts == BUDGET
