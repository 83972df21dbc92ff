"""Search and the compare pickers in a real browser: the journey with JavaScript off, the typeahead with it on."""

import re

import pytest

from tests.browser.test_reader import browser, live_server, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_search_then_add_to_comparison_with_javascript_off(browser, site):  # noqa: F811
    """home → header search "fla" → Flask → its picker: "django" → Add to comparison → the canonical page."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_label("Search the site").fill("fla")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert page.url.startswith(site + "/search/?q=fla")
    page.get_by_role("link", name="Flask", exact=True).click()
    assert page.url == site + "/frameworks/flask/"
    page.get_by_label("Compare Flask with").fill("django")
    page.locator("#compare").get_by_role("button", name="Find").click()
    assert "with=flask" in page.url
    page.get_by_role("link", name=re.compile(r"^Add to comparison\W+Django$")).click()
    assert page.url == site + "/compare/django-vs-flask/"
    assert page.get_by_role("heading", level=1).inner_text() == "Django vs Flask"
    context.close()


def test_typeahead_follows_the_combobox_pattern(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(site + "/")
    box = page.get_by_role("combobox", name="Search the site")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("dj", delay=50)
    option = page.get_by_role("option", name="Django")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("status").filter(has_text="1 suggestion").count() == 1
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(site + "/frameworks/django/")
    # On a framework page the picker's suggestions lead to the compare page.
    picker = page.get_by_role("combobox", name="Compare Django with")
    picker.press_sequentially("fla", delay=50)
    page.get_by_role("option", name="Flask").wait_for()
    picker.press("ArrowDown")
    picker.press("Enter")
    page.wait_for_url(site + "/compare/django-vs-flask/")
    assert errors == []
    context.close()
