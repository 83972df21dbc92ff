"""In a real browser: the guide's section editor with and without JavaScript, under the strict CSP.

Sections show only their kind's fields, fold to a summary line, reorder by drag and by keyboard, preview
live through the public page's own templates, and the edit page stays short enough to work on.
"""

import os
from pathlib import Path
from pprint import pformat

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article
from articles.roles import editors_group

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long editor passphrase 42"
ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
# The stock StackedInline made the seed guide's edit page 21,224 px tall at 1280 px (measured before this
# editor existed); collapsed sections must bring it to a third of that at most.
HEIGHT_BEFORE = 21_224
MAX_HEIGHT = 7_000

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.fixture
def guide(seeded):
    user = get_user_model().objects.create_user("eve", password=PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    return Article.objects.get(slug="flask-vs-django")


def log_in(page, base):
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", "eve")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))


def headings_on_public_page(reader, url):
    reader.goto(url)
    return reader.locator("article section.section > h2, main section.section > h2").all_inner_texts()


def cards(page):
    return page.locator("#sections-group .section-card:not(.empty-form)")


def test_sections_added_reordered_by_drag_and_keyboard_previewed_and_saved(live_server, browser, guide):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    log_in(page, base)
    change = base + reverse("admin:articles_article_change", args=[guide.pk])
    page.goto(change)

    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nGuide edit page at 1280px: {height}px with sections collapsed (stock inline: {HEIGHT_BEFORE}px)")
    assert height <= MAX_HEIGHT
    existing = cards(page).count() - 1  # the last one is the blank section for editors without JavaScript
    assert existing == guide.sections.count()
    assert page.locator(".section-summary-text").first.inner_text().startswith(("Prose: ", "Table: ", "Profile: "))

    # A prose section, in the blank one at the end.
    prose = page.locator("#" + cards(page).nth(existing).get_attribute("id"))  # ids hold until the form is sent
    prose.locator("summary").click()
    prose.locator("select.section-kind").select_option("prose")
    expect(prose.locator(".form-row.field-metrics")).to_be_hidden()
    expect(prose.locator(".kind-description[data-kind=prose]")).to_be_visible()
    prose.locator("input[name$='-heading']").fill("Written in the browser")
    prose.locator("textarea[name$='-body']").fill("Some **bold** words and a [link](https://example.com/).")
    expect(prose.locator(".section-preview strong")).to_have_text("bold", timeout=15_000)

    # A table section, added with the inline's own button.
    page.click("#sections-group .add-row a")
    table = page.locator("#" + cards(page).nth(existing + 1).get_attribute("id"))
    table.locator("select.section-kind").select_option("table")
    expect(table.locator(".form-row.field-body")).to_be_hidden()
    expect(table.locator(".form-row.field-metrics")).to_be_visible()
    expect(table.locator(".kind-description[data-kind=table]")).to_be_visible()
    table.locator("input[name$='-heading']").fill("Stars up front")
    table.locator(".field-metrics .select2-search__field").fill("GitHub st")
    page.click(".select2-results__option:has-text('GitHub stars')")
    expect(table.locator(".section-preview table")).to_contain_text("Flask", timeout=15_000)
    expect(table.locator(".section-preview table")).to_contain_text("Django")
    expect(table.locator(".section-preview table")).to_contain_text("GitHub stars")

    # Drag the table to the top (a window tall enough that the drag needs no scrolling).
    page.set_viewport_size({"width": 1280, "height": 4000})
    first = cards(page).first
    table.locator(".section-handle").drag_to(first, target_position={"x": 40, "y": 5})
    expect(cards(page).first.locator("input[name$='-heading']")).to_have_value("Stars up front")

    page.set_viewport_size({"width": 1280, "height": 900})
    # Keyboard: pick up the prose section, move it up to second place, drop it.
    prose_handle = prose.locator(".section-handle")
    prose_handle.focus()
    page.keyboard.press("Space")
    expect(page.locator(".section-announcer")).to_contain_text("Picked up")
    for _ in range(existing):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    expect(page.locator(".section-announcer")).to_contain_text("Dropped")
    expect(cards(page).nth(1).locator("input[name$='-heading']")).to_have_value("Written in the browser")
    # Escape puts a picked-up section back.
    prose_handle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(cards(page).nth(1).locator("input[name$='-heading']")).to_have_value("Written in the browser")

    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    assert page.evaluate("window.__cspViolations") == [] and errors == [], (page.evaluate("window.__cspViolations"), errors)

    sections = list(guide.sections.order_by("position", "id"))
    assert [s.heading for s in sections[:2]] == ["Stars up front", "Written in the browser"]
    assert [m.name for m in sections[0].metrics.all()] == ["GitHub stars"] and sections[0].body == ""
    reader = browser.new_context().new_page()
    reader.goto(base + guide.get_absolute_url())
    html = reader.content()
    assert html.index("Stars up front") < html.index("Written in the browser") < html.index(
        sections[2].heading or sections[2].body_html[:20])
    assert "<strong>bold</strong>" in html
    context.close()


def test_sections_added_and_ordered_without_javascript(live_server, browser, guide):
    base = live_server.url
    page = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base)
    change = base + reverse("admin:articles_article_change", args=[guide.pk])
    page.goto(change)
    assert page.locator(".section-handle").first.is_hidden()  # reordering by position numbers instead
    existing = cards(page).count() - 1

    blank = cards(page).nth(existing)
    blank.locator("summary").click()
    blank.locator("select.section-kind").select_option("table")
    # CSS alone shows the table's fields.
    expect(blank.locator(".form-row.field-body")).to_be_hidden()
    expect(blank.locator(".kind-description[data-kind=table]")).to_be_visible()
    blank.locator("input[name$='-position']").fill("1")
    blank.locator("input[name$='-heading']").fill("Every figure, no script")
    blank.locator("input[name$='-caption']").fill("All metrics")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")

    blank = cards(page).nth(existing + 1)
    blank.locator("summary").click()
    blank.locator("select.section-kind").select_option("prose")
    blank.locator("input[name$='-position']").fill("2")
    blank.locator("input[name$='-heading']").fill("Prose without script")
    blank.locator("textarea[name$='-body']").fill("Plain *Markdown*.")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")

    sections = list(guide.sections.order_by("position", "id"))
    assert [(s.kind, s.heading) for s in sections[:2]] == [("table", "Every figure, no script"),
                                                           ("prose", "Prose without script")]
    assert sections[0].caption == "All metrics" and sections[1].body_html == "<p>Plain <em>Markdown</em>.</p>"
    reader = browser.new_context().new_page()
    reader.goto(base + guide.get_absolute_url())
    html = reader.content()
    assert html.index("Every figure, no script") < html.index("Prose without script")


def run_axe(page, context="document") -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        f"async () => (await axe.run({context}, {{resultTypes: ['violations']}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )


def test_guide_edit_page_has_no_axe_violations_and_is_screenshotted(live_server, browser, guide):
    assert AXE.exists(), "axe-core is missing: run `npm ci` at the repository root."
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    change = live_server.url + reverse("admin:articles_article_change", args=[guide.pk])
    found = {}
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)):
        # bypass_csp lets the test inject axe; the CSP itself is checked in the test above.
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url)
        page.goto(change)
        page.locator("#sections-group").scroll_into_view_if_needed()
        second = cards(page).nth(1)
        second.locator("summary").click()
        expect(second.locator(".section-preview-box")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"admin-guide-edit-{width}-{scheme}.png"), full_page=True)
        if violations := run_axe(page):
            found[f"{width}px {scheme}"] = violations
        context.close()
    assert found == {}, pformat(found)
