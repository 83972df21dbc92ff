"""Sitemap section for framework pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery

from .models import Framework, Measurement


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
