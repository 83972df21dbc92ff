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
        return max(item.updated_at, item.publish_at)


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        guides = Article.objects.published().filter(categories=OuterRef("pk"))
        return (
            Category.objects.filter(Exists(guides))
            .annotate(guide_updated=Subquery(guides.order_by("-updated_at").values("updated_at")[:1]))
            .annotate(guide_published=Subquery(guides.order_by("-publish_at").values("publish_at")[:1]))
        )

    def lastmod(self, item: Category):
        return max(item.guide_updated, item.guide_published)
