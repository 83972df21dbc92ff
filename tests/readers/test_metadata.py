"""Every public page carries its metadata: title, description, canonical link, social tags, feed links."""

import json
import re
from html import unescape as html_unescape

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/guides/flask-vs-django/",
    "/frameworks/",
    "/frameworks/?sort=github-stars",
    "/frameworks/?language=Python&sort=github-stars",
    "/guides/",
    "/guides/?topic=web",
    "/frameworks/flask/",
    "/compare/django-vs-flask/",
    "/categories/web/",
]

CARD_PAGES = {"/guides/flask-vs-django/", "/frameworks/flask/", "/compare/django-vs-flask/"}


@pytest.mark.parametrize("path", PAGES)
def test_page_metadata(client, seeded, path):
    html = client.get(path).content.decode()
    title = re.search(r"<title>(.+?)</title>", html).group(1)
    assert title.strip() and "compare_site" in title
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    canonical = html_unescape(re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1))
    assert canonical == "http://testserver" + path  # each of these is its own canonical address
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert f'<meta property="{prop}" content="' in html
    # Guides, framework and compare pages have a large social card (tests/readers/test_social_cards.py).
    twitter_card = "summary_large_image" if path in CARD_PAGES else "summary"
    assert f'<meta name="twitter:card" content="{twitter_card}">' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_guide_has_json_ld(client, seeded):
    html = client.get("/guides/flask-vs-django/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1))
    assert data["@type"] == "TechArticle"
    assert data["headline"].startswith("Flask vs Django")
    assert data["datePublished"].startswith("2019-08-30")
    assert [a["name"] for a in data["about"]] == ["Flask", "Django"]
    assert '<meta property="og:type" content="article">' in html


def test_json_ld_cannot_break_out_of_its_script(client, seeded):
    from articles.models import Article

    Article.objects.filter(slug="flask-vs-django").update(title="</script><script>alert(1)</script>")
    html = client.get("/guides/flask-vs-django/").content.decode()
    assert "<script>alert(1)" not in html


def test_styled_404(client, seeded):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_styled_500_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "/static/css/site.css" in html
