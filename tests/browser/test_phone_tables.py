"""Comparison tables on a phone (issue 13), in Debian's chromium.

At 390 px a comparison of two or three frameworks stacks, so every framework's value on every metric
and capability is in view without scrolling sideways; four frameworks scroll inside their box with
the first column pinned and a cue; the directory becomes cards. Each check reads element bounding
boxes. The pages are also checked with axe at 390 px, light and dark, and screenshotted at 390 and
1280 px into build/screenshots/phone-tables-*.png for a person to look at.
"""

from datetime import date
from pprint import pformat

import pytest
from django.test import Client

from frameworks.models import Capability, Framework, Metric, Support
from frameworks.services import record_measurements
from tests.browser.test_html_valid import nu_errors
from tests.browser.test_reader import AXE, SCREENSHOTS, browser, live_server, run_axe, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

TWO = "/compare/django-vs-flask/"
THREE = "/compare/django-vs-fastapi-vs-flask/"
FOUR = "/compare/django-vs-fastapi-vs-flask-vs-pyramid/"
GUIDE = "/guides/flask-vs-django/"
DIRECTORY = "/frameworks/"

# Two frameworks the seed lacks, so there are three- and four-way comparisons to look at.
MORE = {
    "fastapi": {
        "name": "FastAPI",
        "tagline": "Type hints in, validated JSON APIs and their OpenAPI documents out.",
        "figures": {"github-stars": 78400, "github-forks": 6700, "used-by": 412000, "p50-latency": "21.37"},
        "supports": {
            "orm": ("third_party", "SQLModel", "From the author of FastAPI."),
            "forms": ("built_in", "", "Request bodies are validated by Pydantic models."),
            "admin": ("third_party", "SQLAdmin", ""),
            "testing": ("built_in", "", ""),
            "feeds": ("none", "", ""),
        },
    },
    "pyramid": {
        "name": "Pyramid",
        "tagline": "Start small, finish big: a framework that grows with the application.",
        "figures": {"github-stars": 3900, "github-forks": 880, "stack-overflow-questions": 2400, "p50-latency": "38.5"},
        "supports": {
            "orm": ("third_party", "SQLAlchemy", ""),
            "forms": ("third_party", "Deform", ""),
            "testing": ("built_in", "", ""),
            "templates": ("official", "pyramid_jinja2", ""),
        },
    },
}


@pytest.fixture
def catalogue(site):  # noqa: F811
    """The seed (with Flask and Django) plus FastAPI and Pyramid, each with figures and some capabilities."""
    metrics = {m.slug: m for m in Metric.objects.all()}
    capabilities = {c.slug: c for c in Capability.objects.all()}
    for slug, data in MORE.items():
        fw, _ = Framework.objects.update_or_create(
            slug=slug, defaults={"name": data["name"], "tagline": data["tagline"], "is_published": True}
        )
        if not fw.measurements.exists():
            record_measurements(
                framework=fw,
                values={metrics[m]: value for m, value in data["figures"].items()},
                as_of=date(2021, 8, 1),
                source_name="Test data",
                source_url="https://example.com/test-data",
            )
        for cap, (level, package, note) in data["supports"].items():
            Support.objects.update_or_create(
                framework=fw, capability=capabilities[cap], defaults={"level": level, "package": package, "note": note}
            )
    return site


def outside(page, cells, width: int) -> list[str]:
    """The cells whose value (a figure, a support level, or the "missing" mark) is not wholly inside 0..width."""
    problems = []
    for n in range(cells.count()):
        cell = cells.nth(n)
        value = cell.locator("data, .level, .missing").first
        box = value.bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width or box["width"] == 0:
            problems.append(f"{cell.get_attribute('data-label')}: {value.inner_text()!r} at {box}")
    return problems


def within(locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["x"] and box["x"] + box["width"] <= width


def drawn_label(cell) -> str:
    """The label the stylesheet draws before a cell ("" if none shows)."""
    return cell.evaluate(
        "td => { const s = getComputedStyle(td, '::before');"
        " return s.display === 'none' || s.content === 'none' ? '' : td.dataset.label; }"
    )


def check_stacked(page, table, frameworks: list[str]) -> None:
    """Every row of `table` shows each framework's value, labelled with its name, inside the phone's width."""
    rows = table.locator("tbody tr")
    assert rows.count() > 0
    for n in range(rows.count()):
        row = rows.nth(n)
        cells = row.locator("td")
        name = row.locator("th").inner_text()
        assert [cells.nth(i).get_attribute("data-label") for i in range(cells.count())] == frameworks, name
        assert [drawn_label(cells.nth(i)) for i in range(cells.count())] == frameworks, name
        assert outside(page, cells, PHONE["width"]) == [], name
    assert within(table.locator("xpath=.."), PHONE["width"]), "the table's box fits the phone"


def table_roles(page) -> dict[str, int]:
    """How many nodes of each table role chromium's accessibility tree holds."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    roles = [n.get("role", {}).get("value") for n in nodes if not n.get("ignored")]
    return {r: roles.count(r) for r in ("table", "row", "columnheader", "rowheader", "cell")}


def shoot(locator, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / f"phone-tables-{name}.png"))


def test_two_framework_tables_stack_on_a_phone(browser, catalogue):  # noqa: F811
    """/compare/django-vs-flask/ and the guide's tables: every value of both frameworks within 390 px."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(catalogue + TWO)
    check_stacked(page, page.locator("#figures table"), ["Django", "Flask"])
    check_stacked(page, page.locator("#capabilities table"), ["Django", "Flask"])

    page.goto(catalogue + GUIDE)
    tables = page.locator("section.section-table table")
    assert tables.count() == 2
    for n in range(tables.count()):
        check_stacked(page, tables.nth(n), ["Flask", "Django"])
    check_stacked(page, page.locator("section.section-matrix table"), ["Flask", "Django"])
    context.close()


def test_three_framework_tables_stack_on_a_phone(browser, catalogue):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(catalogue + THREE)
    assert page.get_by_role("heading", level=1).inner_text() == "Django vs FastAPI vs Flask"
    check_stacked(page, page.locator("#figures table"), ["Django", "FastAPI", "Flask"])
    check_stacked(page, page.locator("#capabilities table"), ["Django", "FastAPI", "Flask"])
    context.close()


def test_stacked_tables_and_cards_keep_their_table_semantics(browser, catalogue):  # noqa: F811
    """Chromium's accessibility tree holds the same tables, rows, headers and cells at 390 px as at 1280 px."""
    roles = {}
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for path in (TWO, THREE, DIRECTORY):
            page.goto(catalogue + path)
            roles[path, viewport["width"]] = table_roles(page)
        context.close()
    for path in (TWO, THREE, DIRECTORY):
        assert roles[path, 390]["table"] >= 1 and roles[path, 390]["rowheader"] > 0 and roles[path, 390]["cell"] > 0
        assert roles[path, 390] == roles[path, 1280], path


def test_four_frameworks_scroll_with_a_pinned_first_column_and_a_cue(browser, catalogue):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(catalogue + FOUR)
    assert page.get_by_role("heading", level=1).inner_text() == "Django vs FastAPI vs Flask vs Pyramid"
    for section in ("#figures", "#capabilities"):
        hint = page.locator(f"{section} .scroll-hint")
        assert hint.is_visible() and hint.inner_text() == "Scroll sideways for more →"
        box = page.locator(f"{section} .table-scroll")
        assert within(box, PHONE["width"]), section
        assert "gradient" in box.evaluate("el => getComputedStyle(el).backgroundImage")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth"), section
        edge = box.bounding_box()["x"] + box.evaluate("el => el.clientLeft")
        first = box.locator("tbody tr").first.locator("th")
        last = box.locator("tbody tr").first.locator("td").last
        assert first.bounding_box()["x"] == pytest.approx(edge, abs=1)
        before = last.bounding_box()["x"]
        assert before + last.bounding_box()["width"] > PHONE["width"], "the last column starts out of view"
        box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        assert last.bounding_box()["x"] < before, "the box scrolled"
        assert first.bounding_box()["x"] == pytest.approx(edge, abs=1), "the first column stays at the left edge"
        assert last.bounding_box()["x"] + last.bounding_box()["width"] <= PHONE["width"]
        shoot(box, f"compare-4-{section[1:]}-390-light-scrolled")
    context.close()


def test_directory_shows_cards_on_a_phone(browser, catalogue):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(catalogue + DIRECTORY)
    cards = page.locator(".directory tbody tr")
    assert cards.count() == Framework.objects.published().count()
    metrics = [m.strip() for m in page.locator(".directory thead th a[title]").all_text_contents()]
    for n in range(cards.count()):
        card = cards.nth(n)
        name = card.locator("th a").first
        assert name.is_visible() and within(name, PHONE["width"])
        assert within(card, PHONE["width"])
        assert card.get_by_role("checkbox").is_visible()
        cells = card.locator("td.num")
        assert [drawn_label(cells.nth(i)) for i in range(cells.count())] == metrics
        assert outside(page, cells, PHONE["width"]) == [], name.inner_text()
    context.close()


def test_phone_tables_have_no_axe_violations_and_are_screenshotted(browser, catalogue):  # noqa: F811
    """axe at 390 px in light and dark; full screenshots at 390 px (light, dark) and 1280 px (light)."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` at the repository root."
    compared = "#figures, #capabilities"
    guide = ".section-table, .section-matrix"
    pages = {  # name: (path, what to screenshot)
        "compare-2": (TWO, compared),
        "compare-3": (THREE, compared),
        "compare-4": (FOUR, compared),
        "guide": (GUIDE, guide),
        "directory": (DIRECTORY, "#compare-form"),
    }
    found = {}
    for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("light", DESKTOP)):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        width = viewport["width"]
        for name, (path, shown) in pages.items():
            page.goto(catalogue + path)
            for n, part in enumerate(page.locator(shown).all(), start=1):
                shoot(part, f"{name}-{n}-{width}-{scheme}")
            if width == PHONE["width"] and (violations := run_axe(page)):
                found[f"{name} at {width}px, {scheme}"] = violations
        context.close()
    assert found == {}, pformat(found)


def test_three_and_four_way_comparisons_pass_the_nu_html_checker(catalogue, tmp_path):
    """test_html_valid checks the two-way page; these carry the stacked-lines and scrolling markup."""
    client = Client()
    assert [client.get(path).status_code for path in (THREE, FOUR)] == [200, 200]
    assert nu_errors(client, {"compare-3": THREE, "compare-4": FOUR}, tmp_path) == []
