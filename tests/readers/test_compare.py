"""Compare pages: one canonical URL per set, generated from the data."""

import pytest
from django.urls import reverse

from frameworks.models import Adoption, Organization
from tests.factories import make_article, make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


def test_seed_pair_redirects_to_alphabetical_order(client, seeded):
    response = client.get("/compare/flask-vs-django/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/django-vs-flask/"
    assert client.get("/compare/django-vs-flask/").status_code == 200


@pytest.mark.parametrize(
    "slugs",
    [
        "django-vs-nope",  # unknown
        "flask-vs-flask",  # repeated
        "django-vs-flask-vs-django",  # repeated among three
        "flask",  # fewer than two
        "a-vs-b-vs-c-vs-d-vs-e",  # more than four
        "django-vs-",  # empty part
    ],
)
def test_bad_sets_answer_404(client, seeded, slugs):
    assert client.get(f"/compare/{slugs}/").status_code == 404


def test_unpublished_framework_answers_404(client, seeded):
    hidden = make_framework(name="Hidden", slug="hidden", is_published=False)
    assert client.get(f"/compare/django-vs-{hidden.slug}/").status_code == 404


def test_four_frameworks_in_any_order_redirect_once_to_canonical(client):
    for slug in ("delta", "alpha", "charlie", "bravo"):
        make_framework(name=slug.title(), slug=slug)
    response = client.get("/compare/delta-vs-bravo-vs-alpha-vs-charlie/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/alpha-vs-bravo-vs-charlie-vs-delta/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Alpha vs Bravo vs Charlie vs Delta" in page.content.decode()


def test_page_marks_the_better_value_by_higher_is_better(client):
    a, b = make_framework(name="Aaa", slug="aaa"), make_framework(name="Bbb", slug="bbb")
    stars = make_metric(name="Stars", slug="stars")
    latency = make_metric(name="Latency", slug="latency", unit="ms", higher_is_better=False)
    make_measurement(a, stars, 10)
    make_measurement(b, stars, 20)
    make_measurement(a, latency, 5)
    make_measurement(b, latency, 50)
    response = client.get("/compare/aaa-vs-bbb/")
    rows = {row.metric.slug: row for row in response.context["comparison"].metric_rows}
    assert [fig.is_best for fig in rows["stars"].cells] == [False, True]
    assert [fig.is_best for fig in rows["latency"].cells] == [True, False]
    html = response.content.decode()
    assert html.count('class="badge">best</span>') == 2
    assert "as of <time" in html


def test_page_shows_migrations_between_the_frameworks_capabilities_and_guides(client, seeded):
    html = client.get("/compare/django-vs-flask/").content.decode()
    assert "Who moved between them" in html
    assert "<strong>Netflix</strong> moved from" in html
    assert "<strong>Pinterest</strong> moved from" in html
    assert "Admin interface" in html and "Flask-Admin" in html
    assert "Flask vs Django: how Python" in html
    assert "<strong>MIT</strong>: Django, Flask" in html


def test_migration_to_a_framework_outside_the_set_is_not_a_movement(client):
    a, b, c = (make_framework(name=n, slug=n.lower()) for n in ("Aaa", "Bbb", "Ccc"))
    org = Organization.objects.create(name="Acme", slug="acme")
    Adoption.objects.create(organization=org, framework=a, relation="migrated_from", other_framework=c)
    comparison = client.get("/compare/aaa-vs-bbb/").context["comparison"]
    assert comparison.movements == []
    assert client.get("/compare/aaa-vs-ccc/").context["comparison"].movements[0].organization == org


def test_guides_covering_more_of_the_set_come_first_and_drafts_never_show(client):
    a, b, c = (make_framework(name=n, slug=n.lower()) for n in ("Aaa", "Bbb", "Ccc"))
    one = make_article([a], title="Only A")
    both = make_article([a, b], title="A and B")
    make_article([a, b], title="Draft A and B", status="draft")
    make_article([c], title="Only C")
    guides = client.get("/compare/aaa-vs-bbb/").context["comparison"].guides
    assert guides == [both, one]


class TestPicker:
    def test_two_picked_frameworks_redirect_to_canonical_compare_page(self, client, seeded):
        response = client.get(reverse("compare:pick"), {"fw": ["flask", "django"]})
        assert response.status_code == 302
        assert response["Location"] == "/compare/django-vs-flask/"

    @pytest.mark.parametrize("picked", [[], ["flask"], ["flask", "nope"]])
    def test_bad_picks_show_the_directory_with_a_message(self, client, seeded, picked):
        response = client.get(reverse("compare:pick"), {"fw": picked})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "Frameworks" in html and 'id="compare-form"' in html

    def test_five_is_too_many(self, client):
        slugs = [make_framework().slug for _ in range(5)]
        response = client.get(reverse("compare:pick"), {"fw": slugs})
        assert response.status_code == 400
        assert "you chose 5" in response.content.decode()
        # the reader's ticks are kept
        assert response.content.decode().count(" checked") == 5


def test_add_a_framework_form_until_four(client):
    for slug in ("alpha", "bravo", "charlie", "delta", "echo"):
        make_framework(name=slug.title(), slug=slug)
    html = client.get("/compare/alpha-vs-bravo/").content.decode()
    # A search for the next framework, carrying the two already compared; no list of the catalogue.
    assert 'id="add-framework"' in html and "<option" not in html
    assert '<input type="hidden" name="with" value="alpha">' in html
    assert '<input type="hidden" name="with" value="bravo">' in html
    hits = client.get(reverse("search:search"), {"q": "charlie", "with": ["alpha", "bravo"]}).context["hits"]
    assert hits[0].add_url == "/compare/alpha-vs-bravo-vs-charlie/"
    response = client.get(reverse("compare:pick"), {"fw": ["alpha", "bravo", "echo"]})
    assert response["Location"] == "/compare/alpha-vs-bravo-vs-echo/"
    assert 'id="add-framework"' not in client.get("/compare/alpha-vs-bravo-vs-charlie-vs-delta/").content.decode()
