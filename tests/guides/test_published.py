"""Article.objects.published() is the one visibility rule; pages honour it, staff may preview."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides():
    now = timezone.now()
    return {
        "live": make_article(slug="live", title="Live guide"),
        "draft": make_article(slug="draft", title="Draft guide", status=Article.Status.DRAFT),
        "future": make_article(slug="future", title="Future guide", publish_at=now + timedelta(days=2)),
        "old_draft": make_article(slug="old-draft", title="Old draft", status=Article.Status.DRAFT,
                                  publish_at=now - timedelta(days=400)),
    }


def test_published_queryset(guides):
    assert list(Article.objects.published()) == [guides["live"]]


def test_scheduled_guide_appears_when_its_time_comes(guides):
    future = guides["future"]
    Article.objects.filter(pk=future.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert future in Article.objects.published()


@pytest.mark.parametrize("slug", ["draft", "future", "old-draft"])
def test_unpublished_guides_are_404_for_the_public(client, guides, slug):
    assert client.get(f"/guides/{slug}/").status_code == 404


@pytest.mark.parametrize("slug", ["draft", "future"])
def test_staff_preview_unpublished_guides(editor_client, guides, slug):
    make_section(guides[slug.replace("-", "_")], body="Preview body")
    response = editor_client.get(f"/guides/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview body" in html
    assert "readers cannot see it yet" in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_home_lists_only_published(client, guides):
    html = client.get("/").content.decode()
    assert "Live guide" in html
    assert "Draft guide" not in html and "Future guide" not in html and "Old draft" not in html
