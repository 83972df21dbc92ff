"""Searches and query strings have bounds: past them, a clear message and no query the database cannot run."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.admin_search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, BoundedSearchAdmin
from tests.factories import make_framework

pytestmark = pytest.mark.django_db

LONG = "django " * 715  # 5,005 characters


def test_every_admin_that_searches_is_bounded():
    searching = [a for a in admin.site._registry.values() if a.search_fields]
    assert len(searching) >= 10  # ours, the users' and django-axes' lists
    assert all(isinstance(a, BoundedSearchAdmin) for a in searching), [type(a) for a in searching]


@pytest.mark.parametrize(
    "changelist",
    ["admin:frameworks_framework_changelist", "admin:articles_article_changelist",
     "admin:frameworks_measurement_changelist", "admin:auth_user_changelist"],
)
def test_a_5000_character_search_answers_200_with_a_message(admin_client_, changelist):
    make_framework(name="Django")
    response = admin_client_.get(reverse(changelist), {"q": LONG})
    assert response.status_code == 200
    assert f"Searches are limited to {MAX_SEARCH_LENGTH} characters and this one has 5,005" in response.content.decode()
    assert response.context["cl"].result_count == 0


def test_too_many_words_is_a_message_too(admin_client_):
    make_framework(name="Django")
    words = " ".join(["django"] * (MAX_SEARCH_WORDS + 1))
    response = admin_client_.get(reverse("admin:frameworks_framework_changelist"), {"q": words})
    assert f"Searches are limited to {MAX_SEARCH_WORDS} words" in response.content.decode()
    assert response.context["cl"].result_count == 0


def test_a_search_within_the_bounds_still_finds(admin_client_):
    make_framework(name="Django")
    make_framework(name="Flask")
    response = admin_client_.get(reverse("admin:frameworks_framework_changelist"), {"q": "djan"})
    assert [fw.name for fw in response.context["cl"].result_list] == ["Django"]
    assert "Searches are limited" not in response.content.decode()


def test_the_autocomplete_search_is_bounded(admin_client_):
    make_framework(name="Django")
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "articleframework", "field_name": "framework"}
    assert admin_client_.get(url, {**params, "term": "djan"}).json()["results"]
    response = admin_client_.get(url, {**params, "term": LONG})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=" + "x" * 5000, "query of 5,005 characters"),
        ("sort=" + "x" * 300, "“sort” is 300 characters long"),
        ("&".join(f"fw=f{i}" for i in range(40)), "40 query parameters"),
    ],
)
def test_an_over_long_public_query_gets_a_400_page_that_says_why(client, query, message):
    make_framework(name="Django", slug="django")
    for path in ("/", reverse("frameworks:list"), reverse("compare:pick"), "/feeds/guides.rss", "/no-such-page/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert message in response.content.decode()
        assert response["Cache-Control"] == "no-store"


def test_a_picker_naming_many_frameworks_is_refused_before_any_lookup(client):
    make_framework(name="Django", slug="django")
    query = "&".join(f"fw=named{i}" for i in range(12))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("compare:pick") + "?" + query)
    assert response.status_code == 400
    # The answer is the directory's first page with the message; none of the named slugs is looked up.
    assert not [q["sql"] for q in queries if "named" in q["sql"]]
    assert "Choose 2 to 4 frameworks to compare; you chose 12." in response.content.decode()


def test_a_bad_host_gets_the_styled_400_page(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "That address is not one we can answer" in response.content.decode()
