"""RSS 2.0 and Atom feeds of published guides."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from editorial.feeds import TextAtomFeed, TextRssFeed

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
