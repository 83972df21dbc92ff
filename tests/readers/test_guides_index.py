"""The guides index, /guides/: every published guide, newest first, by topic and framework, a page at a time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Category
from tests.factories import make_article, make_framework
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return [guide.title for guide in response.context["page"].rows]


@pytest.fixture
def library():
    """Five guides a day apart (newest: Guide 4), a draft, a scheduled one; topics web and data;
    Guide 1 and Guide 3 on Flask, Guide 3 also on a hidden framework."""
    now = timezone.now()
    flask = make_framework(name="Flask", slug="flask")
    hidden = make_framework(name="Hidden", slug="hidden", is_published=False)
    web = Category.objects.create(name="Web", slug="web")
    data = Category.objects.create(name="Data", slug="data")
    guides = [make_article(title=f"Guide {i}", publish_at=now - timedelta(days=10 - i)) for i in range(5)]
    make_article([flask], title="Draft on Flask", status="draft").categories.add(web)
    make_article([flask], title="Flask, next week", publish_at=now + timedelta(days=7)).categories.add(web)
    for i in (0, 2, 4):
        guides[i].categories.add(web)
    guides[1].categories.add(data)
    for i in (1, 3):
        guides[i].article_frameworks.create(framework=flask)
    guides[3].article_frameworks.create(framework=hidden, position=1)
    return guides


def test_every_published_guide_newest_first(client, library):
    assert titles(client.get("/guides/")) == ["Guide 4", "Guide 3", "Guide 2", "Guide 1", "Guide 0"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("topic=web", ["Guide 4", "Guide 2", "Guide 0"]),
        ("topic=data", ["Guide 1"]),
        ("framework=flask", ["Guide 3", "Guide 1"]),  # drafts and scheduled guides stay out
        ("topic=web&framework=flask", []),
    ],
)
def test_filters(client, library, query, expected):
    response = client.get("/guides/?" + query)
    assert titles(response) == expected
    html = response.content.decode()
    assert f"<strong>{len(expected)} guide{'' if len(expected) == 1 else 's'}</strong>" in html


def test_active_filters_show_with_remove_links_and_the_framework_is_kept_on_submit(client, library):
    html = client.get("/guides/?topic=web&framework=flask").content.decode()
    assert 'Topic: <strong><a href="/categories/web/">Web</a></strong> <a href="/guides/?framework=flask">' in html
    assert 'Framework: <strong><a href="/frameworks/flask/">Flask</a></strong> <a href="/guides/?topic=web">' in html
    assert '<input type="hidden" name="framework" value="flask">' in html
    assert '<label for="id_topic">Topic</label>' in html and '<option value="web" selected>Web</option>' in html
    # The frameworks are too many for a select: none is offered as a choice.
    assert 'name="framework"' in html and "<select name=\"framework\"" not in html


def test_the_topic_form_submitted_as_is_lands_on_the_canonical_address(client, library):
    response = client.get("/guides/?topic=")
    assert response.status_code == 301 and response["Location"] == "/guides/"
    response = client.get("/guides/?framework=flask&topic=web&page=1")
    assert response.status_code == 301 and response["Location"] == "/guides/?topic=web&framework=flask"


@pytest.fixture
def many():
    now = timezone.now()
    for i in range(45):
        make_article(title=f"Guide {i:02d}", publish_at=now - timedelta(hours=100 - i))


def test_pages_of_twenty_with_rel_prev_next(client, many):
    first = client.get("/guides/")
    html = first.content.decode()
    assert len(titles(first)) == 20 and titles(first)[0] == "Guide 44"
    assert '<link rel="next" href="/guides/?page=2">' in html and 'rel="prev"' not in html
    second = client.get("/guides/?page=2")
    html = second.content.decode()
    assert titles(second)[0] == "Guide 24"
    assert '<link rel="canonical" href="http://testserver/guides/?page=2">' in html
    assert '<link rel="prev" href="/guides/">' in html and '<link rel="next" href="/guides/?page=3">' in html
    assert titles(client.get("/guides/?page=3")) == [f"Guide {i:02d}" for i in range(4, -1, -1)]


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("page=abc", 400, "“abc” is not a page number"),
        ("page=0", 400, "Pages are numbered from 1."),
        ("page=4", 404, "Page 4 does not exist: there are 3 pages."),
        ("topic=nope", 400, "“nope” is not a topic we publish guides in."),
        ("framework=nope", 400, "“nope” is not a framework we list."),
        ("framework=hidden", 400, "“hidden” is not a framework we list."),
    ],
)
def test_bad_addresses_get_a_clear_message(client, many, query, status, message):
    make_framework(name="Hidden", slug="hidden", is_published=False)
    response = client.get("/guides/?" + query)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/guides/' in html


def test_the_nav_links_to_the_guides_index(client, library):
    assert '<li><a href="/guides/">Guides</a></li>' in client.get("/").content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("size", [5, 300], ids=lambda n: f"{n}-frameworks")
def test_the_index_runs_a_fixed_number_of_queries(client, settings, size):
    """Topics, count, guides, their topics; a framework filter adds its lookup."""
    settings.PAGE_CACHE_ENABLED = False
    catalogue = build_catalogue(size)
    first, topic = catalogue.frameworks[0].slug, catalogue.category.slug
    counts = {
        "plain": _queries(client, "/guides/"),
        "topic": _queries(client, f"/guides/?topic={topic}"),
        "framework": _queries(client, f"/guides/?framework={first}"),
        "both": _queries(client, f"/guides/?topic={topic}&framework={first}"),
    }
    assert counts == {"plain": 4, "topic": 4, "framework": 5, "both": 5}


def test_a_hostile_framework_value_is_shown_escaped(client, library):
    response = client.get("/guides/", {"framework": "<img src=x onerror=alert(1)>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<img src=x" not in html and "&lt;img src=x" in html
