"""RSS 2.0 and Atom feeds of published guides, and each guide's Atom feed of changes."""

from dataclasses import replace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy

from editorial.feeds import TextAtomFeed, TextRssFeed

from .changes import FEED_ENTRIES, Change, load_guide_changes
from .models import Article


class LatestGuidesFeed(Feed):
    feed_type = TextRssFeed
    title = f"{settings.SITE_NAME}: latest guides"
    link = reverse_lazy("articles:home")
    description = "New framework comparison guides, every figure dated and sourced."
    item_guid_is_permalink = True

    def items(self):
        return Article.objects.published().prefetch_related("categories")[:20]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.standfirst

    def item_author_name(self, item: Article) -> str:
        return item.byline or f"{settings.SITE_NAME} editors"

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.last_changed

    def item_categories(self, item: Article) -> list[str]:
        return [c.name for c in item.categories.all()]


class LatestGuidesAtomFeed(LatestGuidesFeed):
    feed_type = TextAtomFeed
    subtitle = LatestGuidesFeed.description


class GuideChangesFeed(Feed):
    """One published guide's changes (``changes.load_guide_changes``): figures, sections, republication.

    Queries: 6 (the guide, its frameworks, sections, section metrics, recorded changes, figure changes),
    whatever the length of the history.
    """

    feed_type = TextAtomFeed
    author_name = settings.SITE_NAME

    def get_object(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        # The feed's own id: the guide's address is already the guide's id in the guides feed.
        article.changes_feed_id = request.build_absolute_uri(reverse("articles:changes", kwargs={"slug": slug}))
        article.site_root = request.build_absolute_uri("/").rstrip("/")
        return article

    def feed_guid(self, obj: Article) -> str:
        return obj.changes_feed_id

    def title(self, obj: Article) -> str:
        return f"{obj.title}: changes"

    def subtitle(self, obj: Article) -> str:
        return f"Each figure of “{obj.title}” that changes, each section edited, and each republication, newest first."

    description = subtitle

    def link(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Article) -> str:
        return reverse("articles:changes", kwargs={"slug": obj.slug})

    def items(self, obj: Article) -> list[Change]:
        """The changes, each address absolute: it is also the entry's id."""
        return [replace(c, url=obj.site_root + c.url) for c in load_guide_changes(obj, FEED_ENTRIES)]

    def item_title(self, item: Change) -> str:
        return item.title

    def item_description(self, item: Change) -> str:
        return item.description

    def item_link(self, item: Change) -> str:
        """The guide itself: the page lists only the newest few changes, so an older one's anchor is not there."""
        return item.url.partition("#")[0]

    def item_guid(self, item: Change) -> str:
        return item.url  # unique per change: "…#change-figure-<id>", "…#change-<id>"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change):
        return item.when

    def item_updateddate(self, item: Change):
        return item.when
