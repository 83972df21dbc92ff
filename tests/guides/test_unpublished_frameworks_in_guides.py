"""A live guide that names a framework since unpublished shows readers nothing of it, as the API does."""

from datetime import date

import pytest

from articles.models import Section
from frameworks.models import Adoption, Organization
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db


def test_guide_page_card_and_adopters_leave_out_an_unpublished_framework(client):
    stars = make_metric(name="GitHub stars", slug="github-stars")
    flask = make_framework(name="Flask", slug="flask")
    hidden = make_framework(name="Hushed", slug="hushed")
    make_measurement(flask, stars, 45761, date(2019, 8, 1))
    make_measurement(hidden, stars, 999999, date(2019, 8, 1))
    guide = make_article([flask, hidden], slug="flask-vs-hushed")
    make_section(guide, Section.Kind.TABLE)
    make_section(guide, Section.Kind.CHART, metric=stars)
    make_section(guide, Section.Kind.PROFILE, framework=hidden)
    Adoption.objects.create(
        organization=Organization.objects.create(name="Acme", slug="acme"),
        framework=flask,
        relation=Adoption.Relation.MIGRATED_FROM,
        other_framework=hidden,
    )
    hidden.is_published = False
    hidden.save()

    page = client.get(guide.get_absolute_url()).content.decode()
    assert "45,761" in page
    assert "Hushed" not in page and "999,999" not in page and "/frameworks/hushed/" not in page
    profile = client.get(flask.get_absolute_url()).content.decode()
    assert "Acme" in profile and "Hushed" not in profile and "migrated from a framework not listed here" in profile
    assert client.get("/cards/guides/flask-vs-hushed.png").status_code == 200
