"""Sitemap section for the compare pages that published guides link to."""

from django.db.models import Count, Prefetch, Q

from articles.models import Article, ArticleFramework
from editorial.sitemaps import LeanSitemap
from frameworks.compare_paths import MAX_FRAMEWORKS, MIN_FRAMEWORKS, compare_url
from frameworks.models import Framework


class ComparisonSitemap(LeanSitemap):
    """Compare pages that published guides link to, dated by the guide.

    An item is a published guide comparing 2 to 4 published frameworks: its
    compare page is the one the guide links to. A page is a range of 50,000
    guide ids (see editorial.sitemaps), read in one query, and its guides'
    frameworks in one more. A compare page that several guides link to is
    listed once within a page (and may repeat across pages: harmless).
    Queries per page: 3 (the largest id, the guides, their frameworks).
    """

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Framework.objects.published()
        linked = ArticleFramework.objects.filter(framework__in=published).select_related("framework")
        return (
            Article.objects.published()
            .with_last_changed()
            .annotate(compared=Count("article_frameworks", filter=Q(article_frameworks__framework__in=published)))
            .filter(compared__gte=MIN_FRAMEWORKS, compared__lte=MAX_FRAMEWORKS)
            .order_by("pk")
            .prefetch_related(Prefetch("article_frameworks", queryset=linked))
        )

    def location(self, item: Article) -> str:
        return compare_url(af.framework for af in item.article_frameworks.all())

    def lastmod(self, item: Article):
        return item.last_changed_at

    def _urls(self, page, protocol, domain):
        seen, urls = set(), []
        for url in super()._urls(page, protocol, domain):
            if url["location"] not in seen:
                seen.add(url["location"])
                urls.append(url)
        return urls
