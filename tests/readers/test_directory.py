"""The framework directory, the framework page and the home page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frameworks.models import Capability, Framework, Metric, Support
from tests.factories import make_article, make_framework, make_measurement, make_metric
from tests.synthetic import build_catalogue

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
    assert response.status_code == 200, response.content.decode()[:2000]
    return [row.framework.name for row in response.context["directory"].rows]


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_directory_sorts_by_any_metric_best_first_missing_last(client, ranked):
    assert names(client.get("/frameworks/")) == ["Alpha", "Bravo", "Charlie"]
    assert names(client.get("/frameworks/?sort=stars")) == ["Bravo", "Alpha", "Charlie"]
    assert names(client.get("/frameworks/?sort=latency")) == ["Charlie", "Alpha", "Bravo"]


def test_metric_sort_uses_the_latest_figure_and_ties_go_by_name(client, ranked):
    a, b, c = ranked
    stars = Metric.objects.get(slug="stars")
    make_measurement(a, stars, 50, as_of=date(2020, 1, 1))  # Alpha's current figure now beats Bravo's
    make_measurement(c, stars, 50, as_of=date(2020, 1, 1))  # Charlie ties with Alpha: by name
    assert names(client.get("/frameworks/?sort=stars")) == ["Alpha", "Charlie", "Bravo"]


def test_directory_shows_figures_with_dates_and_sources_and_a_compare_form(client, ranked):
    html = client.get("/frameworks/?sort=stars").content.decode()
    assert 'aria-sort="descending"' in html
    assert '<time datetime="2019-08-01">' in html
    assert 'href="https://github.com/example/example"' in html
    assert 'action="/compare/"' in html
    assert html.count('type="checkbox" name="fw"') == 3


def test_ticking_two_on_a_page_leads_to_the_compare_page(client, ranked):
    response = client.get("/compare/", {"fw": ["charlie", "alpha"]})
    assert response.status_code == 302
    assert response["Location"] == "/compare/alpha-vs-charlie/"


def test_ticking_one_shows_the_directory_again_with_the_error_and_the_tick_kept(client, ranked):
    response = client.get("/compare/", {"fw": ["alpha"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html and "Choose 2 to 4 frameworks" in html
    assert 'value="alpha" id="pick-alpha" aria-describedby="compare-help" checked' in html
    assert '<meta name="robots" content="noindex">' in html


def test_hidden_frameworks_stay_hidden(client, ranked):
    make_framework(name="Secret", slug="secret", is_published=False, language="Cobol", license="Secret-1.0")
    for url in ("/frameworks/", "/frameworks/?sort=stars", "/frameworks/?guide=no"):
        assert "Secret" not in client.get(url).content.decode()
    # Its language and license are not offered, nor accepted.
    assert "Cobol" not in client.get("/frameworks/").content.decode()
    assert client.get("/frameworks/?language=Cobol").status_code == 400
    assert client.get("/frameworks/secret/").status_code == 404


# --- Filters ----------------------------------------------------------------------------------


@pytest.fixture
def varied(ranked):
    """Alpha: Python, MIT, 2010, ORM built in, a guide. Bravo: Go, BSD, 2015, ORM third-party.
    Charlie: Python, BSD, 2020, no ORM, only a draft guide."""
    a, b, c = ranked
    Framework.objects.filter(pk=b.pk).update(language="Go", license="BSD-3-Clause", year_created=2015)
    Framework.objects.filter(pk=c.pk).update(license="BSD-3-Clause", year_created=2020)
    orm = Capability.objects.create(name="ORM", slug="orm")
    Support.objects.create(framework=a, capability=orm, level=Support.Level.BUILT_IN)
    Support.objects.create(framework=b, capability=orm, level=Support.Level.THIRD_PARTY, package="gorm")
    Support.objects.create(framework=c, capability=orm, level=Support.Level.NONE)
    make_article([a], title="On Alpha")
    make_article([c], title="Draft on Charlie", status="draft")
    make_article([b], title="Bravo, later", publish_at=timezone.now() + timedelta(days=3))
    return a, b, c


@pytest.mark.parametrize(
    "query, expected",
    [
        ("language=Python", ["Alpha", "Charlie"]),
        ("language=Go", ["Bravo"]),
        ("license=BSD-3-Clause", ["Bravo", "Charlie"]),
        ("capability=orm", ["Alpha", "Bravo"]),  # any level: not "none"
        ("capability=orm&level=built_in", ["Alpha"]),
        ("capability=orm&level=third_party", ["Bravo"]),
        ("capability=orm&level=official", []),
        ("guide=yes", ["Alpha"]),  # drafts and scheduled guides do not count
        ("guide=no", ["Bravo", "Charlie"]),
        ("year_from=2015", ["Bravo", "Charlie"]),
        ("year_to=2015", ["Alpha", "Bravo"]),
        ("year_from=2011&year_to=2019", ["Bravo"]),
        ("language=Python&license=BSD-3-Clause&guide=no&sort=latency", ["Charlie"]),
        ("license=BSD-3-Clause&sort=stars", ["Bravo", "Charlie"]),
    ],
)
def test_filters(client, varied, query, expected):
    response = client.get("/frameworks/?" + query)
    assert names(response) == expected
    count = len(expected)
    assert f"{count} framework{'' if count == 1 else 's'} match{'es' if count == 1 else ''}" in main_text(response)


def test_active_filters_are_shown_with_links_that_remove_each(client, varied):
    response = client.get("/frameworks/?language=Python&capability=orm&level=built_in&year_from=2000&sort=stars")
    html = main_text(response)
    assert "Language: <strong>Python</strong>" in html
    assert "Capability: <strong>ORM (built in)</strong>" in html
    assert 'href="/frameworks/?capability=orm&amp;level=built_in&amp;year_from=2000&amp;sort=stars">remove' in html
    # Removing the capability removes its level too.
    assert 'href="/frameworks/?language=Python&amp;year_from=2000&amp;sort=stars">remove' in html
    assert 'href="/frameworks/">Remove all filters</a>' in html


def test_the_filter_form_works_without_javascript(client, varied):
    html = main_text(client.get("/frameworks/?license=BSD-3-Clause"))
    form = html[html.index('<form method="get" action="/frameworks/">') :]
    form = form[: form.index("</form>")]
    for name in ("language", "license", "capability", "level", "guide", "year_from", "year_to", "sort"):
        assert f'<label for="id_{name}">' in form and f'name="{name}"' in form
    assert '<option value="BSD-3-Clause" selected>' in form
    assert '<button type="submit">' in form
    # What the browser submits, empty fields and all, lands on the canonical address.
    submitted = "language=&license=BSD-3-Clause&capability=&level=any&guide=&year_from=&year_to=&sort=name"
    response = client.get("/frameworks/?" + submitted)
    assert response.status_code == 301 and response["Location"] == "/frameworks/?license=BSD-3-Clause"


# --- The URL: canonical form, pages, errors ---------------------------------------------------


@pytest.mark.parametrize(
    "query, canonical",
    [
        ("page=1", "/frameworks/"),
        ("sort=name", "/frameworks/"),
        ("sort=stars&language=Python", "/frameworks/?language=Python&sort=stars"),
        ("language=Python&license=", "/frameworks/?language=Python"),
        ("level=built_in", "/frameworks/"),  # a level without a capability means nothing
        ("capability=orm&level=any", "/frameworks/?capability=orm"),
        ("year_from=02010", "/frameworks/?year_from=2010"),
        ("utm_source=feed&sort=stars", "/frameworks/?sort=stars"),
        ("language=Go&language=Python", "/frameworks/?language=Python"),
        ("sort=stars&page=1", "/frameworks/?sort=stars"),
    ],
)
def test_non_canonical_addresses_redirect_permanently(client, varied, query, canonical):
    response = client.get("/frameworks/?" + query)
    assert response.status_code == 301
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200


@pytest.fixture
def sixty_one():
    """61 frameworks: two pages of 50, the second with 11."""
    stars = make_metric(name="Stars", slug="stars")
    for i in range(61):
        make_measurement(make_framework(name=f"Fw {i:02d}", slug=f"fw-{i:02d}"), stars, i)


def test_pages_of_fifty_with_rel_prev_next_and_canonical(client, sixty_one):
    first = client.get("/frameworks/?sort=stars")
    html = first.content.decode()
    assert len(first.context["directory"].rows) == 50
    assert names(first)[0] == "Fw 60"
    assert '<link rel="canonical" href="http://testserver/frameworks/?sort=stars">' in html
    assert '<link rel="next" href="/frameworks/?sort=stars&amp;page=2">' in html
    assert 'rel="prev"' not in html
    assert '<a rel="next" href="/frameworks/?sort=stars&amp;page=2">' in html
    assert "Page 1 of 2" in html and "1 to 50 on this page" in html

    second = client.get("/frameworks/?sort=stars&page=2")
    html = second.content.decode()
    assert names(second) == [f"Fw {i:02d}" for i in range(10, -1, -1)]
    assert '<link rel="canonical" href="http://testserver/frameworks/?sort=stars&amp;page=2">' in html
    assert '<link rel="prev" href="/frameworks/?sort=stars">' in html
    assert 'rel="next"' not in html
    assert "Page 2 of 2" in html and "51 to 61 on this page" in html


def test_sorting_or_filtering_from_a_later_page_goes_back_to_page_one(client, sixty_one):
    state = client.get("/frameworks/?page=2").context["directory"].state
    assert dict((label, url) for label, url, _ in state.sort_links)["Stars"] == "/frameworks/?sort=stars"


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("page=abc", 400, "“abc” is not a page number"),
        ("page=0", 400, "Pages are numbered from 1."),
        ("page=-1", 400, "is not a page number"),
        ("page=99999", 404, "Page 99,999 does not exist: there are 2 pages."),
        ("page=99999999999999999999999", 404, "does not exist: there are 2 pages."),
        ("page=%EF%BC%92", 400, "is not a page number"),  # a full-width 2
        ("page=3", 404, "Page 3 does not exist: there are 2 pages."),
        ("language=Python&page=2", 404, "Page 2 does not exist: there is 1 page."),
        ("sort=nope", 400, "“nope” is not something we sort by."),
        ("year_from=abc", 400, "“Created from” takes a year from 1950 to 2100"),
        ("year_to=3000", 400, "“Created up to” takes a year from 1950 to 2100"),
        ("year_from=2020&year_to=2010", 400, "“Created from” (2020) is after “Created up to” (2010)."),
        ("capability=nope", 400, "“nope” is not a capability we track."),
        ("capability=orm&level=sometimes", 400, "“sometimes” is not a level"),
        ("language=Klingon", 400, "No framework we list is written in “Klingon”."),
        ("license=WTFPL", 400, "No framework we list has the license “WTFPL”."),
        ("guide=maybe", 400, "“maybe” is not a guide filter"),
    ],
)
def test_bad_addresses_get_a_clear_message_never_a_500(client, sixty_one, query, status, message):
    Framework.objects.filter(slug="fw-00").update(language="Python")
    Framework.objects.exclude(slug="fw-00").update(language="Go")
    Capability.objects.create(name="ORM", slug="orm")
    response = client.get("/frameworks/?" + query)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'class="site-header"' in html  # the site's own page, not a bare error
    assert response.get("Cache-Control", "") == "" or "public" not in response["Cache-Control"]


def test_a_page_past_the_last_links_to_page_one_of_the_same_list(client, sixty_one):
    html = client.get("/frameworks/?sort=stars&page=9").content.decode()
    assert '<a href="/frameworks/?sort=stars">Go to page 1</a>' in html


def test_an_empty_match_is_a_page_not_an_error(client, varied):
    response = client.get("/frameworks/?capability=orm&level=official")
    assert response.status_code == 200
    assert "No framework matches these filters." in response.content.decode()


# --- Columns ------------------------------------------------------------------------------------


def test_four_metric_columns_plus_the_sorted_one(client):
    metrics = [make_metric(name=f"M{i}", slug=f"m{i}", position=i) for i in range(6)]
    make_measurement(make_framework(name="Alpha", slug="alpha"), metrics[5], 1)
    directory = client.get("/frameworks/").context["directory"]
    assert [m.slug for m in directory.state.columns] == ["m0", "m1", "m2", "m3"]
    directory = client.get("/frameworks/?sort=m5").context["directory"]
    assert [m.slug for m in directory.state.columns] == ["m0", "m1", "m2", "m3", "m5"]
    assert [f.display for f in directory.rows[0].figures][-1] == "1"


# --- Cost -----------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


DIRECTORY_URLS = {
    "plain": "/frameworks/",
    "sorted": "/frameworks/?sort={metric}",
    "sorted-lower-is-better": "/frameworks/?sort={latency}",
    "filtered-sorted": "/frameworks/?license=MIT&capability={capability}&guide=yes&year_from=2001&sort={metric}",
    "filtered-level": "/frameworks/?language=Python&capability={capability}&level=built_in&year_to=2020",
}
DIRECTORY_QUERIES = 6  # metrics, capabilities, languages and licenses; count, the page, its figures


@pytest.mark.parametrize("size", [5, 300], ids=lambda n: f"{n}-frameworks")
def test_the_directory_runs_a_fixed_number_of_queries(client, settings, size):
    settings.PAGE_CACHE_ENABLED = False
    catalogue = build_catalogue(size)
    slugs = {
        "metric": catalogue.metrics[0].slug,
        "latency": catalogue.metrics[1].slug,
        "capability": catalogue.capabilities[0].slug,
    }
    urls = {name: url.format(**slugs) for name, url in DIRECTORY_URLS.items()}
    if size > 50:
        urls["last-page-sorted"] = urls["sorted"] + f"&page={(size - 1) // 50 + 1}"
    counts = {name: _queries(client, url) for name, url in urls.items()}
    assert counts == dict.fromkeys(urls, DIRECTORY_QUERIES)


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
    # The seed has one figure per metric: each shows its value and date, not a chart of one dot.
    assert 'role="img"' not in html
    assert html.count('<dl class="single-figures">') == 5
    assert '<data value="43221.0000">43,221</data> <span class="asof">as of <time datetime="2019-08-01">' in html


def test_framework_page_history_chart_has_one_point_per_measurement(client):
    fw = make_framework(name="Alpha", slug="alpha")
    stars = make_metric(name="Stars", slug="stars")
    for month, value in ((1, 10), (3, 20), (6, 25)):
        make_measurement(fw, stars, value, as_of=date(2020, month, 1))
    html = client.get("/frameworks/alpha/").content.decode()
    wide = html[html.index('<svg class="chart-wide"'):html.index('<svg class="chart-narrow"')]
    assert wide.count('class="marker"') == 3
    assert wide.count('<polyline class="line"') == 1  # three months apart at most: one solid run
    assert "<caption>Stars by date</caption>" in html
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


def test_home_quick_compare_is_a_search_not_a_list_of_every_framework(client, seeded):
    html = client.get("/").content.decode()
    assert '<form class="compare-picker" method="get" action="/search/">' in html
    assert 'id="quick-compare"' in html and "<option" not in html
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


def test_a_capability_links_to_the_directory_filtered_by_it(client, varied):
    url = Capability.objects.get(slug="orm").get_absolute_url()
    assert url == "/frameworks/?capability=orm"
    assert names(client.get(url)) == ["Alpha", "Bravo"]


def test_a_hostile_filter_value_is_shown_escaped(client, ranked):
    response = client.get("/frameworks/", {"language": '<script>alert("x")</script>', "page": "<b>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
