"""The framework directory, the framework page and the home page."""

from datetime import date

import pytest

from tests.factories import make_article, make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    stars = make_metric(name="Stars", slug="stars", position=1)
    latency = make_metric(name="Latency", slug="latency", unit="ms", higher_is_better=False, position=2)
    a, b, c = (make_framework(name=n, slug=n.lower()) for n in ("Alpha", "Bravo", "Charlie"))
    make_measurement(a, stars, 10)
    make_measurement(b, stars, 30)
    make_measurement(a, latency, 9)
    make_measurement(b, latency, 20)
    make_measurement(c, latency, 3)
    return a, b, c


def names(response):
    return [row.framework.name for row in response.context["directory"].rows]


def test_directory_sorts_by_any_metric_best_first_missing_last(client, ranked):
    assert names(client.get("/frameworks/")) == ["Alpha", "Bravo", "Charlie"]
    assert names(client.get("/frameworks/?sort=stars")) == ["Bravo", "Alpha", "Charlie"]
    assert names(client.get("/frameworks/?sort=latency")) == ["Charlie", "Alpha", "Bravo"]
    assert names(client.get("/frameworks/?sort=bogus")) == ["Alpha", "Bravo", "Charlie"]


def test_directory_shows_figures_with_dates_and_sources_and_a_compare_form(client, ranked):
    html = client.get("/frameworks/?sort=stars").content.decode()
    assert 'aria-sort="descending"' in html
    assert '<time datetime="2019-08-01">' in html
    assert 'href="https://github.com/example/example"' in html
    assert 'action="/compare/"' in html
    assert html.count('type="checkbox" name="fw"') == 3


def test_hidden_frameworks_stay_hidden(client, ranked):
    make_framework(name="Secret", slug="secret", is_published=False)
    assert "Secret" not in client.get("/frameworks/").content.decode()
    assert client.get("/frameworks/secret/").status_code == 404


def test_framework_page_groups_adopters_and_lists_comparisons_and_guides(client, seeded):
    response = client.get("/frameworks/django/")
    html = response.content.decode()
    labels = [group.label for group in response.context["adopter_groups"]]
    assert labels == ["Uses", "Also uses"]
    # Netflix and Pinterest migrated from Django to Flask: Django's page says so.
    assert [a.organization.name for a in response.context["departures"]] == ["Netflix", "Pinterest"]
    assert "Moved away to another framework" in html
    assert 'href="/compare/django-vs-flask/"' in html
    assert 'href="/guides/flask-vs-django/"' in html
    assert 'href="/feeds/figures/django.rss"' in html
    assert 'role="img"' in html  # history chart
    assert "<caption>GitHub stars by date</caption>" in html


def test_framework_page_history_chart_has_one_point_per_measurement(client):
    fw = make_framework(name="Alpha", slug="alpha")
    stars = make_metric(name="Stars", slug="stars")
    for month, value in ((1, 10), (3, 20), (6, 25)):
        make_measurement(fw, stars, value, as_of=date(2020, month, 1))
    html = client.get("/frameworks/alpha/").content.decode()
    assert html.count("<circle ") == 3
    assert "<polyline " in html
    assert '<data value="25.0000">25</data>' in html


def test_home_lists_guides_top_frameworks_categories_and_feeds(client, seeded):
    html = client.get("/").content.decode()
    assert "Flask vs Django: how Python" in html
    assert "Top frameworks by GitHub stars" in html
    assert html.index(">Flask</a>") < html.index(">Django</a>")  # 45,761 stars beat 43,221
    assert 'href="/categories/web/"' in html
    assert 'href="/feeds/guides.atom"' in html


def test_category_page_lists_only_published_guides(client, seeded):
    from articles.models import Category

    web = Category.objects.get(slug="web")
    draft = make_article(title="Draft guide", status="draft")
    draft.categories.add(web)
    html = client.get("/categories/web/").content.decode()
    assert "Flask vs Django" in html
    assert "Draft guide" not in html


def test_guide_page_links_frameworks_compare_page_and_sources(client, seeded):
    html = client.get("/guides/flask-vs-django/").content.decode()
    assert 'href="/compare/django-vs-flask/"' in html
    assert 'href="/frameworks/flask/"' in html and 'href="/frameworks/django/"' in html
    assert "Figures as of" in html
    assert "Sources" in html and "https://stackoverflow.com/questions/tagged/django" in html
    assert "By compare_site editors" in html
    assert '<nav class="toc"' in html
    assert 'class="pull-quote"' in html
    assert 'class="badge">best</span>' in html
    assert "Flask-SQLAlchemy" in html


def test_home_quick_compare_form_defaults_to_the_two_leaders(client, seeded):
    html = client.get("/").content.decode()
    assert 'id="quick-a"' in html and 'id="quick-b"' in html
    assert '<option value="flask" selected>' in html and '<option value="django" selected>' in html
    response = client.get("/compare/", {"fw": ["flask", "django"]})
    assert response["Location"] == "/compare/django-vs-flask/"


def test_logo_has_alt_text_and_dimensions(client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), "navy").save(buffer, format="PNG")
    fw = make_framework(name="Alpha", slug="alpha", logo_alt="Alpha's blue logo")
    fw.logo = SimpleUploadedFile("alpha.png", buffer.getvalue(), content_type="image/png")
    fw.save()
    html = client.get("/frameworks/alpha/").content.decode()
    assert 'alt="Alpha&#x27;s blue logo" width="64" height="32"' in html
