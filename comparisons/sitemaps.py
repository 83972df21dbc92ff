"""Sitemap section for the compare pages that published guides link to."""

from django.contrib.sitemaps import Sitemap

from articles.selectors import guide_comparisons, guides_with_frameworks


class ComparisonSitemap(Sitemap):
    """Compare pages that published guides link to, dated by their latest guide."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        dated = {}
        for guide in guides_with_frameworks():
            for path, _ in guide_comparisons([guide]):
                dated[path] = max(dated.get(path, guide.last_changed), guide.last_changed)
        return sorted(dated.items())

    def location(self, item) -> str:
        return item[0]

    def lastmod(self, item):
        return item[1]
