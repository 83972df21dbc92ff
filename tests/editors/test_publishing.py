"""Publishing: drafts, schedules that need no background job, unpublish, and signed preview links."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import preview
from articles.models import Article, Category
from tests.factories import make_article, make_framework, make_section
from tests.routes import exists, feed_paths

pytestmark = pytest.mark.django_db

TITLE = "Scheduled Flask versus Django guide"


@pytest.fixture
def scheduled():
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    category = Category.objects.create(name="Web", slug="web")
    article = make_article(frameworks=[flask, django], title=TITLE, slug="scheduled-guide",
                           publish_at=timezone.now() + timedelta(hours=2))
    article.categories.add(category)
    make_section(article, heading="Why")
    return article


def _paths(surface, article):
    flask = article.frameworks.get(slug="flask")
    if surface == "pages":
        return [reverse("articles:home"), article.get_absolute_url(), flask.get_absolute_url(),
                article.categories.get().get_absolute_url()]
    if surface == "feeds":
        return feed_paths()
    if surface == "sitemap":
        return ["/sitemap-guides.xml"] if exists("/sitemap-guides.xml") else []
    if surface == "compare":
        return ["/compare/django-vs-flask/", "/compare/flask-vs-django/"] if exists("/compare/django-vs-flask/") else []
    raise AssertionError(surface)


def _seen(client, path, article) -> bool:
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404), (path, response.status_code)
    if response.status_code == 404:
        return False
    text = response.content.decode()
    return TITLE in text or article.get_absolute_url() in text


@pytest.mark.parametrize("surface", ["pages", "feeds", "sitemap", "compare"])
def test_scheduled_guide_appears_at_its_time_without_any_command(client, scheduled, surface):
    paths = _paths(surface, scheduled)
    if not paths:
        pytest.skip(f"no {surface} route in this branch yet")
    for path in paths:
        assert not _seen(client, path, scheduled), f"{path} shows a guide scheduled for later"

    # Time passes: the publish time is now behind us. Nothing else changes, no command runs.
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=1), tick=True):
        if surface == "pages":
            for path in paths:
                assert _seen(client, path, scheduled), f"{path} still hides the guide after its publish time"
        else:
            # Some feeds list figures rather than guides, and one compare URL may redirect to the other.
            assert any(_seen(client, path, scheduled) for path in paths), f"{paths} still hide the guide"


def test_a_draft_never_reaches_readers(client):
    article = make_article(title="Draft guide", status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Draft guide" not in client.get(reverse("articles:home")).content.decode()


def test_publish_and_unpublish_from_the_admin_list(editor_client):
    client = Client()  # an anonymous reader, beside the editor
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    later = make_article(title="Later", status=Article.Status.DRAFT, publish_at=timezone.now() + timedelta(days=1))
    changelist = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [draft.pk, later.pk]}, follow=True
    )
    assert "1 guide(s) published now, 1 scheduled" in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(later.get_absolute_url()).status_code == 404

    editor_client.post(changelist, {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    assert client.get(draft.get_absolute_url()).status_code == 404
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(draft).select_related("revision")]
    assert comments == ["Moved back to draft from the list.", "Published from the list."]
    listing = editor_client.get(changelist).content.decode()
    assert "Scheduled" in listing and "No (draft)" in listing


def test_signed_preview_link_shows_a_draft_privately(editor_client):
    client = Client()
    article = make_article(title="Secret draft", status=Article.Status.DRAFT)
    make_section(article, heading="Body")
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    url = re.search(r'href="([^"]+)" class="share-preview"', change).group(1)
    assert url.startswith(reverse("articles:detail", args=[article.slug]) + "preview/")

    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_preview_link_fails_when_tampered_expired_or_for_another_guide(client, settings):
    article = make_article(status=Article.Status.DRAFT)
    other = make_article(status=Article.Status.DRAFT)
    token = preview.make_token(article)
    assert client.get(reverse("articles:preview", args=[article.slug, token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("articles:preview", args=[other.slug, token])).status_code == 404
    forged = signing.TimestampSigner(salt="something-else").sign(f"{article.pk}:{article.slug}")
    assert client.get(reverse("articles:preview", args=[article.slug, forged])).status_code == 404
    settings.PREVIEW_LINK_MAX_AGE = -1
    assert client.get(reverse("articles:preview", args=[article.slug, token])).status_code == 404
