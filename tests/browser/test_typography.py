"""Type in a real browser at phone width: the self-hosted fonts load, and addresses wrap only when they must."""

import pytest

from tests.browser.test_reader import browser, live_server, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Each address link: does it fit its box on one line, and how many lines does it take?
MEASURE_LINKS = """selector => [...document.querySelectorAll(selector)].map(a => {
  const box = a.closest("dd, ul");
  const lines = new Set([...a.getClientRects()].map(r => Math.round(r.top))).size;
  a.style.whiteSpace = "nowrap";
  const width = a.getBoundingClientRect().width;
  a.style.whiteSpace = "";
  return {text: a.textContent, fits: width <= box.clientWidth, lines};
})"""

FONTS = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.fonts].map(f => f.load().catch(() => null)));
  return [...document.fonts].map(f => [f.family.replaceAll('"', ""), f.style, f.status]);
}"""


@pytest.mark.parametrize(
    ("path", "selector", "expected"),
    [
        ("/frameworks/django/", "#facts dd a", "github.com/django/django"),
        ("/guides/flask-vs-django/", ".source-links a", "github.com/pallets/flask/network/dependents"),
    ],
)
def test_addresses_wrap_only_where_they_would_overflow(browser, site, path, selector, expected):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site + path)
    links = page.evaluate(MEASURE_LINKS, selector)
    assert expected in [link["text"] for link in links]
    assert [link for link in links if link["fits"] and link["lines"] != 1] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_self_hosted_fonts_load_and_set_headings_and_prose(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site + "/guides/flask-vs-django/")
    assert sorted(page.evaluate(FONTS)) == [
        ["Inter", "normal", "loaded"],
        ["Source Serif 4", "italic", "loaded"],
        ["Source Serif 4", "normal", "loaded"],
    ]
    family = "el => getComputedStyle(el).fontFamily.split(',')[0].replaceAll('\"', '')"
    assert page.locator("h1").evaluate(family) == "Inter"
    assert page.locator(".prose").first.evaluate(family) == "Source Serif 4"
    context.close()
