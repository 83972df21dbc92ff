"""Feeds, sitemap and robots.txt, read the way their clients read them."""

from datetime import date, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from frameworks.models import Framework, Metric
from frameworks.services import record_measurements
from tests.factories import make_article, make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db

FEEDS = ["feeds:guides-rss", "feeds:guides-atom", "feeds:figures"]


@pytest.fixture
def newer_figure(seeded):
    """A second GitHub stars figure for Flask, so the feed shows a change."""
    record_measurements(
        framework=Framework.objects.get(slug="flask"),
        values={Metric.objects.get(slug="github-stars"): 46120},
        as_of=date(2019, 9, 15),
        source_name="GitHub",
        source_url="https://github.com/pallets/flask",
    )


@pytest.mark.parametrize("name", FEEDS + ["framework-figures"])
def test_feeds_parse_cleanly_and_every_entry_link_answers_200(client, newer_figure, name):
    url = reverse(f"feeds:{name}", kwargs={"slug": "flask"}) if name == "framework-figures" else reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.entries
    for entry in feed.entries:
        assert client.get(entry.link.removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("name", FEEDS)
def test_repeat_request_with_validator_gets_304(client, seeded, name):
    first = client.get(reverse(name))
    assert first["ETag"]
    assert first["Last-Modified"]
    assert client.get(reverse(name), headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(reverse(name), headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_guide_feeds_carry_summary_categories_author_and_dates(client, seeded):
    for name in ("feeds:guides-rss", "feeds:guides-atom"):
        entry = feedparser.parse(client.get(reverse(name)).content).entries[0]
        assert entry.title.startswith("Flask vs Django")
        assert entry.link == "http://testserver/guides/flask-vs-django/"
        assert "Flask keeps its core small" in entry.summary
        assert {t.term for t in entry.tags} == {"Artificial Intelligence", "Web"}
        assert entry.author == "compare_site editors"
        assert entry.published_parsed[:3] == (2019, 8, 30)
    atom = feedparser.parse(client.get(reverse("feeds:guides-atom")).content).entries[0]
    assert atom.updated_parsed


def test_drafts_and_future_guides_never_appear(client, seeded):
    make_article(title="Draft", status="draft")
    make_article(title="Scheduled", publish_at=timezone.now() + timedelta(days=2))
    for name in ("feeds:guides-rss", "feeds:guides-atom"):
        titles = [e.title for e in feedparser.parse(client.get(reverse(name)).content).entries]
        assert "Draft" not in titles and "Scheduled" not in titles
        assert len(titles) == 1


def test_figures_feed_shows_the_change_and_its_date(client, newer_figure):
    feed = feedparser.parse(client.get(reverse("feeds:framework-figures", kwargs={"slug": "flask"})).content)
    assert feed.entries[0].title == "Flask: GitHub stars 45,761 → 46,120, as of 15 Sep 2019"
    assert "according to GitHub" in feed.entries[0].summary
    titles = [e.title for e in feed.entries]
    assert "Flask: Stack Overflow questions 29,378, as of 1 Aug 2019" in titles
    assert not any(t.startswith("Django") for t in titles)


MARKUP = "<b>bold</b> & <script>x</script>"


def _text_of(detail) -> str:
    """What a feed reader shows for a feedparser text construct: HTML is rendered, text taken as it is."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type == "text/html", detail.type
    parser = _ElementCounter()
    parser.feed(detail.value)
    parser.close()
    assert parser.elements == [], (detail.value, parser.elements)
    return parser.text


class _ElementCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], ""

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("name", ["feeds:guides-rss", "feeds:guides-atom"])
def test_guide_feeds_carry_markup_in_text_as_text(client, name):
    make_article(title=MARKUP, summary=MARKUP)
    feed = feedparser.parse(client.get(reverse(name)).content)
    assert feed.bozo == 0
    (entry,) = feed.entries
    assert _text_of(entry.title_detail) == MARKUP
    assert _text_of(entry.summary_detail) == MARKUP


@pytest.mark.parametrize("feed_name", ["feeds:figures", "feeds:framework-figures"])
def test_figure_feeds_carry_names_units_sources_and_notes_as_text(client, feed_name):
    framework = make_framework(name="<img src=x onerror=alert(1)>", slug="img")
    metric = make_metric(name="Stars <b>", unit="<i>ms")
    make_measurement(framework, metric, 5, date(2019, 1, 1))
    make_measurement(framework, metric, 7, date(2019, 2, 1), source_name="<svg onload=alert(1)>",
                     note="Tom & Jerry <3")
    url = reverse(feed_name, kwargs={"slug": "img"}) if feed_name.endswith("framework-figures") else reverse(feed_name)
    feed = feedparser.parse(client.get(url).content)
    assert feed.bozo == 0
    if feed_name.endswith("framework-figures"):
        assert _text_of(feed.feed.title_detail).endswith("new figures for <img src=x onerror=alert(1)>")
    latest = feed.entries[0]
    assert _text_of(latest.title_detail) == (
        "<img src=x onerror=alert(1)>: Stars <b> 5 <i>ms → 7 <i>ms, as of 1 Feb 2019"
    )
    summary = _text_of(latest.summary_detail)
    assert "according to <svg onload=alert(1)>" in summary and summary.endswith("Tom & Jerry <3")


def test_unknown_framework_feed_is_404(client, seeded):
    assert client.get(reverse("feeds:framework-figures", kwargs={"slug": "nope"})).status_code == 404


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_sections(client) -> dict[str, str]:
    """The index at /sitemap.xml: each section's URL and lastmod."""
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return {
        s.findtext("sm:loc", namespaces=SITEMAP_NS): s.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for s in root.findall("sm:sitemap", SITEMAP_NS)
    }


def sitemap_urls(client) -> dict[str, str]:
    """Every URL of every section the index names, with its lastmod."""
    urls = {}
    for section in sitemap_sections(client):
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200, section
        root = ElementTree.fromstring(response.content)
        urls |= {
            u.findtext("sm:loc", namespaces=SITEMAP_NS): u.findtext("sm:lastmod", namespaces=SITEMAP_NS)
            for u in root.findall("sm:url", SITEMAP_NS)
        }
    return urls


def test_sitemap_is_an_index_of_sections(client, seeded):
    sections = {loc.removeprefix("http://testserver"): lastmod for loc, lastmod in sitemap_sections(client).items()}
    assert set(sections) == {
        "/sitemap-guides.xml", "/sitemap-frameworks.xml", "/sitemap-categories.xml", "/sitemap-comparisons.xml"}
    # Only the frameworks section is dated in the index (its newest figure or edit, found by index seeks):
    # dating the others would read every guide. Their URLs carry their own dates.
    assert sections["/sitemap-frameworks.xml"]
    assert sections["/sitemap-guides.xml"] is None


def test_sitemap_pages_are_ranges_of_ids(client, seeded, settings):
    """A section's pages cover 50,000 ids each: the index counts pages from the largest id, past ids that
    were deleted or unpublished, and a page inside that range with nothing published in it is empty."""
    from compare_site.urls import SITEMAPS

    Framework.objects.filter(slug="flask").update(is_published=False)
    make_framework(id=120_001, name="Later", slug="later")  # as if 120,000 frameworks had come before it
    sections = [loc.removeprefix("http://testserver") for loc in sitemap_sections(client)]
    assert [s for s in sections if s.startswith("/sitemap-frameworks.xml")] == [
        "/sitemap-frameworks.xml", "/sitemap-frameworks.xml?p=2", "/sitemap-frameworks.xml?p=3"]
    pages = {}
    for page in ("", "?p=2", "?p=3"):
        root = ElementTree.fromstring(client.get("/sitemap-frameworks.xml" + page).content)
        pages[page] = [u.findtext("sm:loc", namespaces=SITEMAP_NS) for u in root.findall("sm:url", SITEMAP_NS)]
    assert pages == {"": ["http://testserver/frameworks/django/"], "?p=2": [],
                     "?p=3": ["http://testserver/frameworks/later/"]}
    assert client.get("/sitemap-frameworks.xml?p=4").status_code == 404
    assert client.get("/sitemap-frameworks.xml?p=0").status_code == 404
    assert client.get("/sitemap-frameworks.xml?p=two").status_code == 404
    assert SITEMAPS["frameworks"]().paginator.num_pages == 3


def test_sitemap_urls_are_escaped_and_dated_in_the_current_time_zone():
    from datetime import UTC, datetime

    from django.utils import timezone

    from editorial.sitemaps import url_element

    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    with timezone.override("Europe/Paris"):
        element = url_element("https://example.com/a?b=1&c=<2>", late, "weekly", 0.5)
    assert element == (
        "<url><loc>https://example.com/a?b=1&amp;c=&lt;2&gt;</loc><lastmod>2026-03-02</lastmod>"
        "<changefreq>weekly</changefreq><priority>0.5</priority></url>"
    )
    assert url_element("https://example.com/") == "<url><loc>https://example.com/</loc></url>"


def test_sitemap_section_page_past_the_end_is_404(client, seeded):
    assert client.get("/sitemap-guides.xml?p=2").status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_sitemap_sections_are_paginated_at_50000(client, seeded):
    from compare_site.urls import SITEMAPS

    assert all(site.limit == 50_000 for site in SITEMAPS.values())


def test_sitemap_lists_guides_frameworks_categories_compare_pages_with_lastmod(client, seeded):
    make_article(title="Draft", slug="draft", status="draft")
    urls = sitemap_urls(client)
    paths = {loc.removeprefix("http://testserver") for loc in urls}
    assert {"/guides/flask-vs-django/", "/frameworks/flask/", "/frameworks/django/", "/compare/django-vs-flask/",
            "/categories/web/", "/categories/artificial-intelligence/"} <= paths
    assert "/guides/draft/" not in paths
    assert all(urls.values()), "every URL has a lastmod"
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_answers_conditional_get(client, seeded):
    first = client.get(reverse("sitemap"))
    assert client.get(reverse("sitemap"), headers={"if-none-match": first["ETag"]}).status_code == 304


def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_admin(client, settings):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert f"Disallow: /{settings.ADMIN_URL}" in text
