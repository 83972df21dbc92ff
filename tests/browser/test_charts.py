"""History charts in a real browser: legible on a phone, and no label on top of another."""

import os
from datetime import date, timedelta

import pytest

from frameworks.models import Framework, Metric
from tests.browser.test_reader import browser, live_server, site  # noqa: F401 (fixtures)
from tests.factories import make_framework, make_measurement

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

# Every text of every chart drawing the browser shows: its size on screen and its box.
TEXTS = """() => [...document.querySelectorAll('.chart > svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a,
            box: [r.left, r.top, r.right, r.bottom]};
  }))"""


def _overlaps(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.fixture
def crowded(site):  # noqa: F811
    """A third framework whose monthly figures end within a few stars of Django's: labels that would collide."""
    stars = Metric.objects.get(slug="github-stars")
    django = Framework.objects.get(slug="django")
    fastapi = make_framework(name="FastAPI", slug="fastapi")
    for k in range(8):
        as_of = date(2026, 1, 1) + timedelta(days=30 * k)
        make_measurement(django, stars, 80_000 + 50 * k, as_of)
        make_measurement(fastapi, stars, 80_010 + 50 * k, as_of)
    return site


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_lettering_is_legible_and_never_overlaps(browser, crowded, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    checked = 0
    for path in ("/compare/django-vs-fastapi-vs-flask/", "/frameworks/django/", "/guides/flask-vs-django/"):
        page.goto(crowded + path)
        for drawing in page.evaluate(TEXTS):
            checked += 1
            small = [(t["text"], round(t["px"], 1)) for t in drawing if t["px"] < 12]
            assert not small, (path, width, small)
            clashes = [
                (a["text"], b["text"])
                for i, a in enumerate(drawing)
                for b in drawing[i + 1 :]
                if _overlaps(a["box"], b["box"])
            ]
            assert not clashes, (path, width, clashes)
    assert checked >= 3
    context.close()


def test_a_phone_shows_the_narrow_drawing_and_a_desktop_the_wide_one(browser, crowded):  # noqa: F811
    for width, shown in ((390, "chart-narrow"), (1280, "chart-wide")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(crowded + "/compare/django-vs-fastapi-vs-flask/")
        visible = page.evaluate(
            "() => [...document.querySelectorAll('.chart > svg')].filter(s => s.getBoundingClientRect().width > 0)"
            ".map(s => s.getAttribute('class'))"
        )
        assert visible and set(visible) == {shown}, (width, visible)
        context.close()
