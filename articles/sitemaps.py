"""Sitemap sections for guides and topics."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery

from .models import Article, Category


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published()

    def lastmod(self, item: Article):
        return item.last_changed


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        guides = Article.objects.published().filter(categories=OuterRef("pk")).with_last_changed()
        latest = guides.order_by("-last_changed_at").values("last_changed_at")[:1]
        return Category.objects.filter(Exists(guides)).annotate(last_changed_at=Subquery(latest))

    def lastmod(self, item: Category):
        return item.last_changed_at
