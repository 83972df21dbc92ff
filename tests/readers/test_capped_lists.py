"""Long lists on the home, framework, compare and topic pages are capped, with their full counts and an
"all N" page: the paginated adopters page."""

from datetime import UTC, date, datetime

import pytest

from frameworks.models import Adoption, Framework, Organization
from frameworks.selectors import ADOPTERS_SHOWN, leaders
from tests.factories import make_article, make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def popular():
    """Flask with 60 users and 3 organisations that moved from it to Django."""
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Org {n:03d}", slug=f"org-{n:03d}") for n in range(63)
    )
    Adoption.objects.bulk_create(Adoption(organization=org, framework=flask) for org in orgs[:60])
    Adoption.objects.bulk_create(
        Adoption(organization=org, framework=django, relation=Adoption.Relation.MIGRATED_FROM, other_framework=flask)
        for org in orgs[60:]
    )
    return flask, django


def test_framework_page_caps_each_adopter_group_and_links_to_all_of_them(client, popular):
    response = client.get("/frameworks/flask/")
    [uses] = response.context["adopter_groups"]
    assert (uses.label, len(uses.adoptions), uses.total, uses.more) == ("Uses", ADOPTERS_SHOWN, 60, 48)
    # The dozen most recently recorded (Org 048 to 059 were added last), shown by name.
    assert [a.organization.name for a in uses.adoptions] == [f"Org {n:03d}" for n in range(48, 60)]
    assert response.context["departures_total"] == 3
    html = response.content.decode()
    assert "and 48 more" in html
    assert 'href="/frameworks/flask/adopters/">All 63 adopters of Flask</a>' in html


def test_adopters_page_is_paginated_with_canonical_and_rel_links(client, popular):
    first = client.get("/frameworks/flask/adopters/").content.decode()
    assert first.count("<li>Org ") == 50
    assert '<link rel="canonical" href="http://testserver/frameworks/flask/adopters/">' in first
    assert '<link rel="next" href="/frameworks/flask/adopters/?page=2">' in first
    assert 'rel="prev"' not in first

    second = client.get("/frameworks/flask/adopters/?page=2").content.decode()
    assert second.count("<li>Org ") == 13
    assert '<link rel="canonical" href="http://testserver/frameworks/flask/adopters/?page=2">' in second
    assert '<link rel="prev" href="/frameworks/flask/adopters/">' in second
    assert "moved away to" in second and 'href="/frameworks/django/"' in second  # the three departures sort last


@pytest.mark.parametrize("page", ["3", "0", "two", "-1"])
def test_adopters_page_out_of_range_is_a_clear_404(client, popular, page):
    response = client.get("/frameworks/flask/adopters/", {"page": page})
    assert response.status_code == 404
    assert "the adopters of Flask run from page 1 to 2" in response.content.decode()


def test_pages_show_each_groups_newest_adopters_by_name_and_the_full_list_alphabetically(client):
    """Each relation's most recently recorded dozen, read from the end of an index, whatever their names."""
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    first = Organization.objects.bulk_create(Organization(name=f"Aa {n:02d}", slug=f"aa-{n:02d}") for n in range(20))
    last = Organization.objects.bulk_create(
        Organization(name=f"{c} Corp", slug=f"{c.lower()}-corp") for c in "ZYXWVUTSRQPO"
    )
    Adoption.objects.bulk_create(Adoption(organization=org, framework=flask) for org in first + last)
    Adoption.objects.bulk_create(
        Adoption(organization=org, framework=flask, relation=Adoption.Relation.ALSO_USES, other_framework=django)
        for org in Organization.objects.bulk_create(Organization(name=f"Also {n}", slug=f"also-{n}") for n in range(3))
    )
    newest = sorted(org.name for org in last)
    [uses, also] = client.get("/frameworks/flask/").context["adopter_groups"]
    assert [a.organization.name for a in uses.adoptions] == newest and uses.total == 32
    assert [a.organization.name for a in also.adoptions] == ["Also 0", "Also 1", "Also 2"] and also.total == 3
    comparison = client.get("/compare/django-vs-flask/").context["comparison"]
    [(_, django_groups, _), (_, flask_groups, flask_total)] = comparison.adopters  # in URL order: Django, Flask
    assert django_groups == [] and flask_total == 35
    assert [a.organization.name for a in flask_groups[0].adoptions] == newest
    listing = client.get("/frameworks/flask/adopters/").content.decode()
    assert listing.index("Aa 00") < listing.index("Also 0") < listing.index("O Corp") < listing.index("Z Corp")


def test_adopters_page_of_an_unpublished_framework_is_404(client, popular):
    Framework.objects.filter(slug="flask").update(is_published=False)
    assert client.get("/frameworks/flask/adopters/").status_code == 404


def test_framework_and_compare_pages_cap_guides_newest_first(client, popular):
    flask, django = popular
    for n in range(8):
        make_article([flask], title=f"Flask guide {n}", publish_at=datetime(2020, 1, n + 1, tzinfo=UTC))
    response = client.get("/frameworks/flask/")
    assert [g.title for g in response.context["guides"]] == [f"Flask guide {n}" for n in range(7, 1, -1)]
    assert response.context["guides_total"] == 8
    comparison = client.get("/compare/django-vs-flask/").context["comparison"]
    assert len(comparison.guides) == 6 and comparison.guides_total == 8


def test_compare_page_lists_shared_adopters_and_movements_from_their_own_queries(client, popular):
    flask, django = popular
    org = Organization.objects.get(name="Org 061")  # moved from Flask to Django, and still uses Flask too
    Adoption.objects.create(organization=org, framework=flask, relation=Adoption.Relation.USES)
    comparison = client.get("/compare/django-vs-flask/").context["comparison"]
    assert [a.organization.name for a in comparison.movements] == ["Org 060", "Org 061", "Org 062"]
    assert comparison.movements_total == 3
    assert comparison.shared_adopters == [("Org 061", [django, flask])]
    assert comparison.shared_total == 1


def test_leaders_rank_best_first_current_figures_only_unmeasured_last(django_assert_num_queries):
    latency = make_metric(name="Latency", slug="latency", unit="ms", higher_is_better=False)
    fast, slow, unmeasured = (make_framework(name=n) for n in ("Fast", "Slow", "Unmeasured"))
    make_measurement(fast, latency, 90, as_of=date(2019, 1, 1))
    make_measurement(fast, latency, 5, as_of=date(2020, 1, 1))  # the current figure wins
    make_measurement(slow, latency, 50)
    make_framework(name="Hidden", is_published=False)
    with django_assert_num_queries(2):  # the measured ones, then one more for the unmeasured
        top = leaders(latency, count=3)
    assert [fw.name for fw in top] == ["Fast", "Slow", "Unmeasured"]
    assert top[0].figure.measurement.value == 5 and top[2].figure.measurement is None


def test_leaders_take_one_query_when_enough_frameworks_are_measured(django_assert_num_queries):
    stars = make_metric(name="Stars", slug="stars")
    for n in range(4):
        fw = make_framework(name=f"F{n}")
        make_measurement(fw, stars, 100 * n, as_of=date(2020, 1, 1))
        make_measurement(fw, stars, 1000 - n, as_of=date(2019, 1, 1))  # higher but superseded: not current
    with django_assert_num_queries(1):
        top = leaders(stars, count=2)
    assert [fw.name for fw in top] == ["F3", "F2"]
