"""sitemap.xml: guides, frameworks, categories and the compare pages guides link to."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery

from articles.models import Article, Category
from frameworks.compare import guide_comparisons, guides_with_frameworks
from frameworks.models import Framework, Measurement


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published()

    def lastmod(self, item: Article):
        return max(item.updated_at, item.publish_at)


class FrameworkSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        figures = Measurement.objects.filter(framework=OuterRef("pk")).values("framework")
        return Framework.objects.published().annotate(
            figures_at=Subquery(figures.annotate(at=Max("recorded_at")).values("at")[:1])
        )

    def lastmod(self, item: Framework):
        return max(filter(None, [item.updated_at, item.figures_at]))


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


class ComparisonSitemap(Sitemap):
    """Compare pages that published guides link to, dated by their latest guide."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        dated = {}
        for guide in guides_with_frameworks():
            when = max(guide.updated_at, guide.publish_at)
            for path, _ in guide_comparisons([guide]):
                dated[path] = max(dated.get(path, when), when)
        return sorted(dated.items())

    def location(self, item) -> str:
        return item[0]

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "guides": GuideSitemap,
    "frameworks": FrameworkSitemap,
    "categories": CategorySitemap,
    "comparisons": ComparisonSitemap,
}
