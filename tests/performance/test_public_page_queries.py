"""Every public page runs the same, pinned number of queries at 100 and at 10,000 frameworks.

The catalogue is tests.synthetic's: for each framework 20 figures (5 metrics x
4 dates), support rows and an adopter (all but the first migrated from
another framework, and also use the first framework); a guide comparing the
first four frameworks with a section of each kind, a guide per framework on
the first one, three two-framework guides. So the first framework has as many
adopters and guides as there are frameworks: its page and its compare pages
must cap those lists. Counts are for an uncached render; a cached page runs
none (see tests/operations/test_pagecache.py). Building 10,000 frameworks takes
about 20 s on SQLite.
"""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.synthetic import Catalogue, build_catalogue

pytestmark = pytest.mark.django_db

SIZES = [100, 10_000]


def _compare(frameworks, view: str = "compare:detail") -> str:
    return reverse(view, kwargs={"slugs": "-vs-".join(sorted(fw.slug for fw in frameworks))})


def _embed(c: Catalogue, count: int) -> str:
    slugs = "-vs-".join(sorted(fw.slug for fw in c.frameworks[:count]))
    return reverse("embeds:chart", kwargs={"metric": c.metrics[0].slug, "slugs": slugs})


def _cursor(c: Catalogue) -> str:
    """A cursor halfway through the history: the first framework's newest figure."""
    from api.cursors import Cursor
    from frameworks.models import Measurement

    last = Measurement.objects.filter(framework=c.frameworks[0]).order_by("-as_of", "-pk").first()
    return Cursor(last.as_of, last.pk).encode()


PAGES: dict[str, tuple[Callable[[Catalogue], str], int]] = {
    "home": (lambda c: reverse("articles:home"), 5),
    "guide": (lambda c: c.guide.get_absolute_url(), 15),
    "guide-changes": (lambda c: reverse("articles:changes", kwargs={"slug": c.guide.slug}), 6),
    "category": (lambda c: c.category.get_absolute_url(), 4),
    "directory": (lambda c: reverse("frameworks:list"), 6),
    "directory-sorted": (lambda c: reverse("frameworks:list") + f"?sort={c.metrics[1].slug}", 6),
    # "Has a guide" once took 20 s at 10,000 frameworks (a correlated EXISTS): in the list so a slow plan shows.
    "directory-guide": (lambda c: reverse("frameworks:list") + f"?guide=yes&sort={c.metrics[1].slug}", 6),
    "directory-no-guide": (lambda c: reverse("frameworks:list") + "?guide=no", 6),
    "guides": (lambda c: reverse("articles:list"), 4),
    "framework": (lambda c: c.frameworks[0].get_absolute_url(), 14),
    "compare-2": (lambda c: _compare(c.frameworks[:2]), 16),
    "compare-4": (lambda c: _compare(c.frameworks[:4]), 16),
    "guides-rss": (lambda c: reverse("feeds:guides-rss"), 2),
    "guides-atom": (lambda c: reverse("feeds:guides-atom"), 2),
    "figures-rss": (lambda c: reverse("feeds:figures"), 1),
    "framework-figures-rss": (lambda c: reverse("feeds:framework-figures", kwargs={"slug": c.frameworks[0].slug}), 2),
    "adopters": (lambda c: reverse("frameworks:adopters", kwargs={"slug": c.frameworks[0].slug}), 5),
    "adopters-page-2": (lambda c: reverse("frameworks:adopters", kwargs={"slug": c.frameworks[0].slug}) + "?page=2", 5),
    "sitemap": (lambda c: reverse("sitemap"), 6),
    "sitemap-guides": (lambda c: reverse("sitemap-section", kwargs={"section": "guides"}), 2),
    "sitemap-frameworks": (lambda c: reverse("sitemap-section", kwargs={"section": "frameworks"}), 2),
    "sitemap-categories": (lambda c: reverse("sitemap-section", kwargs={"section": "categories"}), 2),
    "sitemap-comparisons": (lambda c: reverse("sitemap-section", kwargs={"section": "comparisons"}), 3),
    "robots": (lambda c: reverse("robots"), 0),
    "card-guide": (lambda c: reverse("cards:guide", kwargs={"slug": c.guide.slug}), 4),
    "card-framework": (lambda c: reverse("cards:framework", kwargs={"slug": c.frameworks[0].slug}), 3),
    "card-compare-2": (lambda c: _compare(c.frameworks[:2], "cards:compare"), 3),
    "card-compare-4": (lambda c: _compare(c.frameworks[:4], "cards:compare"), 3),
    "embed-1": (lambda c: _embed(c, 1), 5),
    "embed-4": (lambda c: _embed(c, 4), 5),
    "badge": (lambda c: reverse("embeds:badge", kwargs={"slug": c.frameworks[0].slug, "metric": c.metrics[0].slug}), 3),
    # The open data API (api/): every list, and the detail views beside the pages they mirror.
    "api-frameworks": (lambda c: reverse("api:frameworks"), 6),
    "api-frameworks-sorted": (lambda c: reverse("api:frameworks") + f"?sort={c.metrics[1].slug}&guide=yes", 6),
    "api-frameworks-search": (lambda c: reverse("api:frameworks") + "?q=framework", 6),
    "api-metrics": (lambda c: reverse("api:metrics"), 1),
    "api-measurements": (lambda c: reverse("api:measurements"), 1),
    "api-measurements-filtered": (
        lambda c: reverse("api:measurements") + f"?framework={c.frameworks[0].slug}&metric={c.metrics[0].slug}"
        "&since=2000-01-01&until=2100-01-01&limit=2",
        3,
    ),
    "api-measurements-page-2": (lambda c: reverse("api:measurements") + f"?cursor={_cursor(c)}", 1),
    "api-guides": (lambda c: reverse("api:guides"), 5),
    "api-guides-framework": (lambda c: reverse("api:guides") + f"?framework={c.frameworks[0].slug}", 6),
    "api-framework": (lambda c: reverse("api:framework", kwargs={"slug": c.frameworks[0].slug}), 7),
    "api-guide": (lambda c: reverse("api:guide", kwargs={"slug": c.guide.slug}), 13),
    "api-compare-2": (lambda c: _compare(c.frameworks[:2], "api:compare"), 17),
    "api-compare-4": (lambda c: _compare(c.frameworks[:4], "api:compare"), 17),
}


def _count(client, url: str) -> int:
    """Queries run by one GET of `url`, which must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}-frameworks")
def test_public_pages_run_a_fixed_number_of_queries(client, settings, size):
    """One catalogue per size (building it is the slow part), then every page against its pinned count."""
    settings.PAGE_CACHE_ENABLED = False
    catalogue = build_catalogue(size)
    counts = {name: _count(client, url(catalogue)) for name, (url, _) in PAGES.items()}
    assert counts == {name: expected for name, (_, expected) in PAGES.items()}
