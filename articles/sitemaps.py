"""Sitemap sections for guides and topics."""

from django.db.models import Exists, OuterRef, Subquery

from editorial.sitemaps import LeanSitemap

from .models import Article, Category


class GuideSitemap(LeanSitemap):
    """Published guides, 50,000 ids a page (see editorial.sitemaps)."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article):
        return item.last_changed


class CategorySitemap(LeanSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        guides = Article.objects.published().filter(categories=OuterRef("pk")).with_last_changed()
        latest = guides.order_by("-last_changed_at").values("last_changed_at")[:1]
        return Category.objects.filter(Exists(guides)).annotate(last_changed_at=Subquery(latest)).order_by("pk")

    def lastmod(self, item: Category):
        return item.last_changed_at
