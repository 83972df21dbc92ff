"""Sitemap sections for guides and topics."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery

from .models import Article, Category


class GuideSitemap(Sitemap):
    """Published guides; paginated in SQL at Django's 50,000 URLs a page."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article):
        return item.last_changed

    def get_latest_lastmod(self):
        """One aggregate query (Django's default reads every item)."""
        return Article.objects.published().with_last_changed().aggregate(latest=Max("last_changed_at"))["latest"]


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        guides = Article.objects.published().filter(categories=OuterRef("pk")).with_last_changed()
        latest = guides.order_by("-last_changed_at").values("last_changed_at")[:1]
        return Category.objects.filter(Exists(guides)).annotate(last_changed_at=Subquery(latest)).order_by("pk")

    def lastmod(self, item: Category):
        return item.last_changed_at

    def get_latest_lastmod(self):
        """One aggregate query: the newest change among published guides in a topic."""
        guides = Article.objects.published().filter(categories__isnull=False).with_last_changed()
        return guides.aggregate(latest=Max("last_changed_at"))["latest"]
