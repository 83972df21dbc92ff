"""The guide page shows live, dated, sourced figures in a fixed number of queries."""

from datetime import date

import pytest

from articles.models import Section
from frameworks.models import Framework, Metric
from tests.factories import make_article, make_section
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

EIGHT = ["45,761", "12,870", "300,700", "29,378", "43,221", "18,596", "282,618", "204,483"]


def test_seed_guide_shows_all_2019_figures_with_date_and_source(client, seeded):
    response = client.get("/guides/flask-vs-django/")
    assert response.status_code == 200
    html = response.content.decode()
    for figure in EIGHT:
        assert figure in html
    assert "46.04 ms" in html and "144.29 ms" in html
    assert '<time datetime="2019-08-01">1 Aug 2019</time>' in html
    assert 'href="https://github.com/pallets/flask"' in html
    assert 'href="https://stackoverflow.com/questions/tagged/django"' in html
    assert "Figures as of" in html


def test_better_value_is_marked(client, seeded):
    html = client.get("/guides/flask-vs-django/").content.decode()
    # Lower latency wins: Flask's 46.04 ms cell carries the mark, Django's does not.
    assert '<td class="num best" data-label="Flask"><data value="46.0400">46.04 ms</data>' in html
    assert '<td class="num" data-label="Django"><data value="144.2900">144.29 ms</data>' in html


def test_every_section_kind_renders(client, seeded):
    html = client.get("/guides/flask-vs-django/").content.decode()
    assert 'class="profile card"' in html
    assert 'class="compare-table compare-table--stack"' in html
    assert 'class="matrix matrix--stack"' in html
    assert "<svg" in html and "Stack Overflow questions over time" in html
    assert 'class="pull-quote"' in html
    assert "Flask-Admin" in html


def _guide_with(n_frameworks: int) -> str:
    catalogue = build_catalogue(n_frameworks, metrics=2, dates=3, capabilities=1)
    frameworks, metrics = catalogue.frameworks, catalogue.metrics
    article = make_article(frameworks, slug=f"guide-{n_frameworks}")
    make_section(article, heading="Intro")
    make_section(article, Section.Kind.PROFILE, framework=frameworks[0])
    make_section(article, Section.Kind.PROFILE, framework=frameworks[-1])
    table = make_section(article, Section.Kind.TABLE)
    table.metrics.set(metrics)
    make_section(article, Section.Kind.MATRIX)
    make_section(article, Section.Kind.CHART, metric=metrics[0])
    make_section(article, Section.Kind.QUOTE, body="Quote")
    return article.get_absolute_url()


@pytest.mark.parametrize("n_frameworks", [2, 20])
def test_guide_query_count_does_not_grow_with_frameworks(client, django_assert_num_queries, n_frameworks):
    url = _guide_with(n_frameworks)
    # article, categories, compared frameworks, sections, section metrics, section capabilities,
    # metrics, current figures, history, capabilities, support, adoptions shown, adoption counts,
    # recorded changes, figure changes ("What changed since …")
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert Framework.objects.count() == n_frameworks


def test_new_figure_shows_on_guide_and_old_one_stays_in_history(client, seeded):
    from frameworks.models import Measurement
    flask = Framework.objects.get(slug="flask")
    stars = Metric.objects.get(slug="github-stars")
    Measurement.objects.create(framework=flask, metric=stars, value=46120, as_of=date(2020, 2, 1),
                               source_name="GitHub", source_url="https://github.com/pallets/flask")
    html = client.get("/guides/flask-vs-django/").content.decode()
    assert "46,120" in html and '<time datetime="2020-02-01">' in html
    assert Measurement.objects.filter(framework=flask, metric=stars).count() == 2
    detail = client.get("/frameworks/flask/").content.decode()
    assert "45,761" in detail and "46,120" in detail
