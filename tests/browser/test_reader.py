"""A reader in a real browser: Debian's chromium driven by Playwright.

Checks what only a browser shows: the reader's journey with JavaScript off,
zero axe-core violations on every public page (light and dark), and
screenshots at phone and desktop widths in build/screenshots/ for a person
to look at.
"""

import os
import socket
from datetime import date
from pathlib import Path
from pprint import pformat

import pytest
from django.conf import settings
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer

from frameworks.models import Framework, Metric
from frameworks.services import record_measurements
from tests.browser.chromium import launch
from tests.synthetic import build_catalogue

# Playwright's sync API runs its own event loop; Django must allow ORM calls beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
# Our port range; the first free one is used.
PORTS = range(8100, 8200)

PAGES = {
    "home": "/",
    "guide": "/guides/flask-vs-django/",
    "directory": "/frameworks/",
    "directory-sorted": "/frameworks/?sort=p50-latency",
    "framework": "/frameworks/flask/",
    "compare": "/compare/django-vs-flask/",
    "category": "/categories/web/",
    "adopters": "/frameworks/django/adopters/",
    "picker-error": "/compare/?fw=flask",
    "search": "/search/?q=flask",
    "search-empty": "/search/?q=",
    "not-found": "/no-such-page/",
    "directory-filtered": "/frameworks/?language=Python&capability=orm&level=built_in&sort=github-stars",
    "directory-bad-page": "/frameworks/?page=9",
    "guides": "/guides/",
    "guides-topic": "/guides/?topic=web",
    "guides-framework": "/guides/?framework=flask",
    "api-docs": "/api/v1/docs/",
}
# Pages that need more than the seed: a second page of frameworks (50 a page) and of guides (20 a page).
PAGED = {
    "directory-page-2": "/frameworks/?page=2",
    "directory-page-2-sorted": "/frameworks/?sort=p50-latency&page=2",
    "guides-page-2": "/guides/?page=2",
}


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8100-8199 for the live server.")


@pytest.fixture(scope="module")
def live_server(django_db_setup, django_db_blocker):
    """The live server, on a port of our own range."""
    server = LiveServer(f"127.0.0.1:{free_port()}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """The seed content plus later figures, so history charts have lines to draw."""
    call_command("seed", verbosity=0)
    stars = Metric.objects.get(slug="github-stars")
    questions = Metric.objects.get(slug="stack-overflow-questions")
    later = {
        "flask": [(date(2020, 8, 1), 52100, 33800), (date(2021, 8, 1), 57400, 38200)],
        "django": [(date(2020, 8, 1), 51200, 222000), (date(2021, 8, 1), 60300, 238500)],
    }
    for slug, rows in later.items():
        fw = Framework.objects.get(slug=slug)
        for as_of, star_count, question_count in rows:
            record_measurements(
                framework=fw,
                values={stars: star_count, questions: question_count},
                as_of=as_of,
                source_name="Test data",
                source_url="https://example.com/test-data",
            )
    return live_server.url


def test_reader_journey_with_javascript_off(browser, site):
    """home → guide → framework → directory form (two ticks) → the canonical compare page."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Flask vs Django: how Python").first.click()
    assert page.url == site + "/guides/flask-vs-django/"
    assert page.get_by_role("img", name="Stack Overflow questions over time").is_visible()
    page.locator(".guide-header").get_by_role("link", name="Flask", exact=True).click()
    assert page.url == site + "/frameworks/flask/"
    assert page.get_by_role("heading", level=1).inner_text() == "Flask"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Frameworks").click()
    page.get_by_label("Compare Flask").check()
    page.get_by_label("Compare Django").check()
    page.get_by_role("button", name="Compare selected").first.click()
    assert page.url == site + "/compare/django-vs-flask/"
    assert page.get_by_role("heading", level=1).inner_text() == "Django vs Flask"
    assert page.get_by_text("Who moved between them").is_visible()
    context.close()


def test_directory_filters_with_javascript_off(browser, site):
    """The filter form submits as a plain GET; the browser lands on the canonical address, and "remove" undoes."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site + "/frameworks/")
    page.get_by_label("Capability").select_option(label="Object-relational mapper (ORM)")
    page.get_by_label("Sort by").select_option(label="GitHub stars")
    page.get_by_role("button", name="Show frameworks").click()
    assert page.url == site + "/frameworks/?capability=orm&sort=github-stars"
    assert page.get_by_text("2 frameworks match").is_visible()
    page.get_by_role("link", name="remove the capability filter").click()
    assert page.url == site + "/frameworks/?sort=github-stars"
    context.close()


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )


def test_every_public_page_has_no_axe_violations_and_is_screenshotted(browser, site):
    """Screenshots of phone and desktop in light mode and desktop in dark mode.

    axe runs on the phone layout in light mode and the desktop layout in dark
    mode: both layouts and both colour schemes, at two thirds of the cost.
    """
    assert AXE.exists(), "axe-core is missing: run `npm ci` at the repository root."
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for scheme, width, check in (("light", 390, True), ("light", 1280, False), ("dark", 1280, True)):
        # bypass_csp lets the test inject axe whatever Content-Security-Policy the site sends.
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(site + path)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
            if check and (violations := run_axe(page)):
                found[f"{name} at {width}px, {scheme}"] = violations
        context.close()
    assert found == {}, pformat(found)


def test_later_pages_of_the_listings_have_no_axe_violations(browser, site):
    """The pages a catalogue of 80 adds, with their pagers, at phone and desktop widths."""
    build_catalogue(80)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        for name, path in PAGED.items():
            assert page.goto(site + path).status == 200, path
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-light.png"), full_page=True)
            if violations := run_axe(page):
                found[f"{name} at {width}px"] = violations
        context.close()
    assert found == {}, pformat(found)
