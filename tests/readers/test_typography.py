"""Typography a reader sees: sources named once with what they back, URLs that wrap only at slashes and dots,
and the self-hosted fonts the pages preload."""

import re
from datetime import date
from html import unescape
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from articles.blocks import _metric_label
from frameworks.templatetags.catalogue import url_text
from tests.factories import make_article, make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))).split())


def _sources(html: str) -> list[str]:
    """The guide's Sources list as text, one string per source."""
    listing = html[html.index('<ul class="sources">') :]
    listing = listing[: listing.index("</section>")]
    return [_text(item) for item in listing.split('<li><span class="source-name">')[1:]]


def test_seeded_guide_names_each_source_once_with_the_metrics_it_backs(client, seeded):
    html = client.get("/guides/flask-vs-django/").content.decode()
    assert _sources(html) == [
        "GitHub (stars, forks) github.com/django/django github.com/pallets/flask",
        "GitHub dependency graph (used by) github.com/django/django/network/dependents"
        " github.com/pallets/flask/network/dependents",
        "Stack Overflow (SO questions) stackoverflow.com/questions/tagged/django"
        " stackoverflow.com/questions/tagged/flask",
        "the-benchmarker/web-frameworks (p50 latency) github.com/the-benchmarker/web-frameworks",
    ]
    assert _text(html).count("GitHub (stars, forks)") == 1
    assert '<a href="https://stackoverflow.com/questions/tagged/django" rel="nofollow">' in html
    assert (
        '<a href="https://github.com/pallets/flask" rel="nofollow">github<wbr>.com/<wbr>pallets/<wbr>flask</a>' in html
    )


def test_sources_keep_distinct_addresses_and_order_metrics_as_the_catalogue_does(client):
    alpha, bravo = make_framework(name="Alpha"), make_framework(name="Bravo")
    first, second = make_metric(name="Downloads", short_name="Downloads"), make_metric(name="Questions")
    for fw in (alpha, bravo):
        make_measurement(fw, second, 10, source_name="Registry", source_url=f"https://registry.example/{fw.slug}")
        make_measurement(fw, first, 20, source_name="Registry", source_url=f"https://registry.example/{fw.slug}/stats")
    make_measurement(
        alpha, first, 30, date(2020, 1, 1), source_name="another site", source_url="https://other.example/"
    )
    article = make_article([alpha, bravo])
    html = client.get(article.get_absolute_url()).content.decode()
    assert _sources(html) == [
        "another site (downloads) other.example",
        f"Registry (downloads, questions) registry.example/{alpha.slug} registry.example/{bravo.slug}",
    ]


@pytest.mark.parametrize(
    ("label", "in_text"),
    [
        ("Stars", "stars"),
        ("Used by", "used by"),
        ("SO questions", "SO questions"),
        ("GitHub stars", "GitHub stars"),
        ("p50 latency", "p50 latency"),
        ("Downloads/month", "downloads/month"),
    ],
)
def test_metric_labels_read_as_running_text(label, in_text):
    assert _metric_label(SimpleNamespace(label=label)) == in_text


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://github.com/django/django", "github<wbr>.com/<wbr>django/<wbr>django"),
        ("https://flask.palletsprojects.com/", "flask<wbr>.palletsprojects<wbr>.com"),
        ("http://example.com/a/b/", "example<wbr>.com/<wbr>a/<wbr>b/"),
        ("https://x.example/?q=<b>&a=1", "x<wbr>.example/<wbr>?q=&lt;b&gt;&amp;a=1"),
        ("", ""),
    ],
)
def test_url_text_drops_the_scheme_and_may_wrap_only_at_slashes_and_dots(url, text):
    assert url_text(url) == text
    assert Template("{% load catalogue %}{{ url|url_text }}").render(Context({"url": url})) == text


def test_framework_facts_show_addresses_that_wrap_at_slashes(client, seeded):
    html = client.get("/frameworks/django/").content.decode()
    assert '<a href="https://github.com/django/django">github<wbr>.com/<wbr>django/<wbr>django</a>' in html


@pytest.mark.parametrize("path", ["/guides/flask-vs-django/", "/frameworks/flask/", "/compare/django-vs-flask/"])
def test_pages_preload_the_self_hosted_fonts(client, seeded, path):
    html = client.get(path).content.decode()
    for name in ("inter-latin-wght-400-800", "source-serif-4-latin-wght-normal"):
        assert re.search(
            rf'<link rel="preload" href="/static/fonts/{name}\.woff2" as="font" type="font/woff2" crossorigin>', html
        )
