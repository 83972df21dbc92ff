"""The pickers' JSON suggestions: published frameworks only, compare links, bounded, a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search import indexing
from tests.factories import make_framework
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

SUGGEST = reverse("search:suggest")


def test_suggests_published_frameworks_by_the_start_of_their_name(client):
    make_framework(name="Django", slug="django")
    make_framework(name="Django Ninja", slug="django-ninja")
    make_framework(name="Djangled", slug="djangled", is_published=False)
    make_framework(name="Flask", slug="flask")
    response = client.get(SUGGEST, {"q": "djan"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {"name": "Django", "slug": "django", "url": "/frameworks/django/", "compare_url": None},
            {"name": "Django Ninja", "slug": "django-ninja", "url": "/frameworks/django-ninja/", "compare_url": None},
        ]
    }


def test_with_gives_each_suggestion_its_compare_page(client):
    make_framework(name="Django", slug="django")
    make_framework(name="Flask", slug="flask", tagline="Not Django")
    results = client.get(SUGGEST, {"q": "django", "with": "flask"}).json()["results"]
    assert [(r["slug"], r["compare_url"]) for r in results] == [
        ("django", "/compare/django-vs-flask/"),
        ("flask", None),
    ]


@pytest.mark.parametrize("q", ["", "   ", "x" * 101, "!!!", "a b c d e f g h i j k"])
def test_unusable_input_gets_no_suggestions_and_no_error(client, q):
    make_framework(name="Django", slug="django")
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_at_most_eight(client):
    for n in range(12):
        make_framework(name=f"Many {n}", slug=f"many-{n}")
    assert len(client.get(SUGGEST, {"q": "many"}).json()["results"]) == 8


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SUGGEST, params)
    assert response.status_code == 200
    assert response.json()["results"]
    return len(queries)


@pytest.mark.parametrize("size", [5, 200])
def test_a_fixed_number_of_queries_whatever_the_catalogue(client, settings, django_assert_num_queries, size):
    """Two queries with ?with= (the chosen frameworks, the suggestions), one without; the same at 5 and 200."""
    settings.PAGE_CACHE_ENABLED = False
    build_catalogue(size)
    indexing.rebuild()  # synthetic builds are bulk inserts: no signals
    with django_assert_num_queries(1):
        client.get(SUGGEST, {"q": "synth"})
    with django_assert_num_queries(2):
        client.get(SUGGEST, {"q": "synthetic 00", "with": "synthetic-0001"})
    assert _count(client, {"q": "synthetic 0002"}) == 1


@pytest.mark.parametrize("size", [5, 200])
def test_the_search_page_runs_a_fixed_number_of_queries(client, settings, size):
    """Count (capped) and one page of hits; adopters on the page add one query, ?with= one more.

    Each query's first page holds the same kinds at both sizes ("synthetic 0002": a framework, its
    organisation, a pair guide), so the counts can be pinned whatever the ranking.
    """
    settings.PAGE_CACHE_ENABLED = False
    build_catalogue(size)
    indexing.rebuild()
    search = reverse("search:search")
    counts = {}
    for name, params in {
        "frameworks": {"q": "generated framework"},
        "with": {"q": "generated framework", "with": "synthetic-0000"},
        "mixed": {"q": "synthetic 0002"},
        "adopters": {"q": "organisation"},
        "guides": {"q": "guide"},
    }.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(search, params)
        assert response.status_code == 200 and response.context["hits"], name
        counts[name] = len(queries)
    assert counts == {"frameworks": 2, "with": 3, "mixed": 3, "adopters": 3, "guides": 2}
