"""Charts on real pages: one colour and marker per framework everywhere, gaps shown, no chart of one dot."""

import re
from datetime import date, timedelta

import pytest

from frameworks.models import Framework, Measurement, Metric
from tests.factories import make_framework, make_measurement

pytestmark = pytest.mark.django_db

SERIES = re.compile(r'<g class="series fw-(\d)" data-framework="([a-z0-9-]+)" data-shape="([a-z-]+)"')


def _series_slots(html: str) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for slot, slug, shape in SERIES.findall(html):
        found.setdefault(slug, set()).add((slot, shape))
    return found


@pytest.fixture
def history(seeded):
    """Monthly stars and questions for Flask, Django and a third framework in 2026, beside the seed's 2019 figures."""
    metrics = Metric.objects.filter(slug__in=["github-stars", "stack-overflow-questions"])
    fastapi = make_framework(name="FastAPI", slug="fastapi")
    frameworks = [Framework.objects.get(slug="flask"), Framework.objects.get(slug="django"), fastapi]
    for metric in metrics:
        for k in range(6):
            for n, fw in enumerate(frameworks):
                make_measurement(fw, metric, 60_000 + 5_000 * n + 100 * k, date(2026, 1, 1) + timedelta(days=30 * k))
    return frameworks


def test_a_framework_has_the_same_colour_and_marker_on_every_page(client, history):
    pages = {
        "guide": "/guides/flask-vs-django/",
        "framework": "/frameworks/flask/",
        "compare": "/compare/django-vs-flask/",
        "compare-other": "/compare/fastapi-vs-flask/",
        "compare-three": "/compare/django-vs-fastapi-vs-flask/",
    }
    seen: dict[str, dict[str, set]] = {}
    for name, url in pages.items():
        html = client.get(url).content.decode()
        seen[name] = _series_slots(html)
        assert seen[name]["flask"], name
        for slug, styles in seen[name].items():
            assert len(styles) == 1, (name, slug, styles)  # the wide and narrow drawings agree
    flask = {next(iter(page["flask"])) for page in seen.values()}
    assert len(flask) == 1, flask
    django = {next(iter(page["django"])) for name, page in seen.items() if "django" in page}
    assert len(django) == 1, django
    three = seen["compare-three"]
    assert len({next(iter(styles)) for styles in three.values()}) == 3  # distinct within a chart


def test_legend_keys_use_the_series_colour_and_shape(client, history):
    html = client.get("/compare/django-vs-fastapi-vs-flask/").content.decode()
    slots = {slug: next(iter(styles))[0] for slug, styles in _series_slots(html).items()}
    legend = html[html.index('<ul class="legend">'):]
    legend = legend[:legend.index("</ul>")]
    for slug, name in (("flask", "Flask"), ("django", "Django"), ("fastapi", "FastAPI")):
        assert re.search(rf'<li class="fw-{slots[slug]}"><svg class="key"[^>]*>.*?</svg>\s*{name}</li>', legend)


def test_seven_years_without_a_figure_is_a_dotted_gap_not_a_solid_line(client, history):
    html = client.get("/frameworks/django/").content.decode()
    section = html[html.index('id="metric-github-stars"'):]
    wide = section[section.index('<svg class="chart-wide"'):section.index("</svg>")]
    # 2019's figure stands alone; 2026's six monthly ones form one solid run.
    assert wide.count('<polyline class="line"') == 1
    polyline = re.search(r'<polyline class="line" points="([^"]+)"', wide).group(1)
    assert len(polyline.split()) == 6
    assert wide.count('<line class="gap"') == 1
    assert wide.count('class="marker"') == 7
    assert "no measurement in between" in section[: section.index("</figure>")]


def test_a_single_figure_shows_its_value_and_date_instead_of_a_chart(client, seeded):
    html = client.get("/frameworks/flask/").content.decode()
    section = html[html.index('id="metric-github-forks"'):]
    section = section[: section.index("</section>")]
    assert "<svg" not in section.replace('<svg class="key"', "")
    assert '<data value="12870.0000">12,870</data>' in section
    assert 'as of <time datetime="2019-' in section


def test_value_axis_starts_at_zero_for_close_values(client, seeded):
    stars = Metric.objects.get(slug="github-stars")
    flask = Framework.objects.get(slug="flask")
    Measurement.objects.filter(framework=flask, metric=stars).delete()
    make_measurement(flask, stars, 61_200, date(2026, 1, 1))
    make_measurement(flask, stars, 61_203, date(2026, 2, 1))
    html = client.get("/frameworks/flask/").content.decode()
    wide = html[html.index('<svg class="chart-wide"'):]
    ticks = re.findall(r'<text class="tick"[^>]*text-anchor="end"[^>]*>([^<]+)</text>', wide[: wide.index("</svg>")])
    assert ticks[0] == "0"
