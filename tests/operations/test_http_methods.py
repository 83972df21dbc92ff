"""Reader pages answer HEAD as well as GET (uptime checkers and link checkers send HEAD)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/", "/guides/flask-vs-django/", "/frameworks/", "/frameworks/flask/", "/compare/django-vs-flask/",
     "/feeds/guides.rss", "/sitemap.xml", "/robots.txt"],
)
def test_head_is_answered_like_get_without_a_body(client, seeded, path):
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


def test_post_to_a_reader_page_is_refused(client, seeded):
    assert client.post(reverse("articles:detail", args=["flask-vs-django"])).status_code == 405
