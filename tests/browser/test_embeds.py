"""Embeds in a real browser: standalone, inside an <img> on another origin, and the "Embed this" block.

The other origin is a tiny page served from a second loopback port. It sends
``Cross-Origin-Embedder-Policy: require-corp``, so chromium shows a
cross-origin image only if that image says ``Cross-Origin-Resource-Policy:
cross-origin``: the test fails if the embeds lose the header (a static file,
which does not send it, is the control). Screenshots go to
build/screenshots/embed-*.png for a person to look at.
"""

import io
import os
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from PIL import Image
from pytest_django.live_server_helper import LiveServer

from frameworks.models import Framework, Measurement, Metric
from frameworks.services import record_measurements
from tests.browser.chromium import launch
from tests.browser.test_reader import AXE, SCREENSHOTS, free_port, run_axe

# Playwright's sync API runs its own event loop; Django must allow ORM calls beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHART = "/embed/github-stars/django-vs-flask.svg"
NARROW = CHART + "?size=narrow"
SINGLE = "/embed/used-by/django-vs-flask.svg"
BADGE = "/badge/flask/github-stars.svg"
FOUR = "/embed/github-stars/bottle-vs-django-vs-flask-vs-pyramid.svg?size=narrow"
CONTROL = "/static/favicon.svg"  # served without Cross-Origin-Resource-Policy: cross-origin


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
    """The seed content plus two later rounds of GitHub stars, so the charts draw lines, and two more
    frameworks (removed afterwards) for a chart of four."""
    call_command("seed", verbosity=0)
    stars = Metric.objects.get(slug="github-stars")
    extra = [
        Framework.objects.get_or_create(slug=slug, defaults={"name": name, "is_published": True})[0]
        for slug, name in (("bottle", "Bottle"), ("pyramid", "Pyramid"))
    ]
    later = {
        "flask": [(date(2019, 10, 1), 47300), (date(2019, 12, 1), 49800)],
        "django": [(date(2019, 10, 1), 44900), (date(2019, 12, 1), 47100)],
        "bottle": [(date(2019, 8, 1), 7100), (date(2019, 10, 1), 7600), (date(2019, 12, 1), 8000)],
        "pyramid": [(date(2019, 8, 1), 3700), (date(2019, 10, 1), 3750), (date(2019, 12, 1), 3800)],
    }
    for slug, rows in later.items():
        framework = Framework.objects.get(slug=slug)
        for as_of, value in rows:
            if not Measurement.objects.filter(framework=framework, metric=stars, as_of=as_of).exists():
                record_measurements(
                    framework=framework,
                    values={stars: value},
                    as_of=as_of,
                    source_name="GitHub",
                    source_url="https://github.com/example/example",
                )
    yield live_server.url
    for framework in extra:
        framework.delete()


@pytest.fixture
def other_origin(site):
    """A page on another origin (another port) that shows the embeds in <img> elements, under COEP."""
    page = (
        "<!doctype html><html lang='en'><title>Someone else's page</title>"
        "<body style='margin:16px;font-family:sans-serif;background:#f4f4f4'>"
        "<h1>A post on someone else's blog</h1>"
        f"<p><img id='badge' src='{site}{BADGE}' alt='badge'></p>"
        f"<p><img id='chart' src='{site}{CHART}' alt='chart'></p>"
        f"<p><img id='control' src='{site}{CONTROL}' alt='control' width='16' height='16'></p>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _is_not_blank(png: bytes) -> bool:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16)
    return colours is None or len(colours) > 20


@pytest.mark.parametrize(
    ("name", "path", "width"),
    [
        ("chart", CHART, 672),
        ("chart-narrow", NARROW, 392),
        ("chart-four-narrow", FOUR, 392),
        ("single", SINGLE, 672),
        ("badge", BADGE, None),
    ],
)
def test_embed_renders_standalone(browser, site, name, path, width):
    context = browser.new_context(viewport={"width": 800, "height": 600}, device_scale_factor=2)
    page = context.new_page()
    response = page.goto(site + path)
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
    root = page.evaluate(
        "() => { const r = document.documentElement; const box = r.getBoundingClientRect();"
        " return {ns: r.namespaceURI, tag: r.localName, width: box.width, height: box.height,"
        " attrs: [r.getAttribute('width'), r.getAttribute('height')]} }"
    )
    assert (root["ns"], root["tag"]) == ("http://www.w3.org/2000/svg", "svg")
    assert [root["width"], root["height"]] == [float(v) for v in root["attrs"]]
    if width:
        assert root["width"] == width
    else:
        assert root["height"] == 20
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(
        path=str(SCREENSHOTS / f"embed-{name}.png"),
        clip={"x": 0, "y": 0, "width": root["width"], "height": root["height"]},
    )
    assert _is_not_blank(png)
    context.close()


def test_embeds_show_in_img_on_another_origin(browser, site, other_origin):
    context = browser.new_context(viewport={"width": 760, "height": 640})
    page = context.new_page()
    expected = {"badge": True, "chart": True, "control": False}
    # The test's live server shares one SQLite connection between its request threads, and two images
    # asked for at once can trip over it: a second load settles a failure that is the test server's.
    for _attempt in range(3):
        page.goto(other_origin)
        page.wait_for_load_state("load")
        loaded = page.evaluate(
            "() => Object.fromEntries([...document.images].map(i => [i.id, i.complete && i.naturalWidth > 0]))"
        )
        if loaded == expected:
            break
    assert loaded == expected
    sizes = page.evaluate("() => Object.fromEntries([...document.images].map(i => [i.id, i.naturalHeight]))")
    assert page.evaluate("() => document.getElementById('chart').naturalWidth") == 672
    assert sizes["badge"] == 20 and sizes["chart"] > 300
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "embed-other-origin.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(
    ("name", "path"), [("compare", "/compare/django-vs-flask/"), ("framework", "/frameworks/flask/")]
)
def test_embed_this_block_works_without_javascript_and_passes_axe(browser, site, name, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + path)
    page.get_by_text("Embed this on your site").click()
    code = page.get_by_label("Chart of GitHub stars")
    assert code.is_visible()
    assert code.input_value().startswith(f'<a href="{site}')
    preview = page.locator("img.embed-preview")
    preview.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")  # the lazy previews, requested once the block opened
    page.locator("details.embed").screenshot(path=str(SCREENSHOTS / f"embed-block-{name}.png"))
    context.close()

    # axe needs script: a second context, with the block open, light on a phone and dark on a desktop.
    assert AXE.exists(), "axe-core is missing: run `npm ci` at the repository root."
    found = {}
    for scheme, width in (("light", 390), ("dark", 1280)):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        page.goto(site + path)
        page.get_by_text("Embed this on your site").click()
        page.evaluate("() => Promise.all([...document.querySelectorAll('details.embed img')].map(i => i.decode()))")
        assert page.evaluate("() => [...document.querySelectorAll('details.embed img')].every(i => i.naturalWidth > 0)")
        if violations := run_axe(page):
            found[f"{name} at {width}px, {scheme}"] = violations
        if width == 390:
            page.locator("details.embed").screenshot(path=str(SCREENSHOTS / f"embed-block-{name}-390.png"))
        context.close()
    assert found == {}
