"""The site's URLs: each app's pages, feeds and sitemap sections, assembled here."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from articles.feeds import LatestGuidesAtomFeed, LatestGuidesFeed
from articles.sitemaps import CategorySitemap, GuideSitemap
from comparisons.card_urls import cards_urls
from comparisons.embed_urls import embed_urls
from comparisons.sitemaps import ComparisonSitemap
from comparisons.urls import compare_urls, frameworks_urls
from frameworks.feeds import FiguresFeed, FrameworkFiguresFeed
from frameworks.sitemaps import FrameworkSitemap
from pagecache.decorators import public_page

from .health import healthz
from .views import robots_txt

admin.site.site_header = "compare_site editors"
admin.site.site_title = "compare_site admin"
admin.site.index_title = "Catalogue and guides"

SITEMAPS = {
    "guides": GuideSitemap,
    "frameworks": FrameworkSitemap,
    "categories": CategorySitemap,
    "comparisons": ComparisonSitemap,
}

feeds_urls = (
    [
        path("guides.rss", public_page(LatestGuidesFeed()), name="guides-rss"),
        path("guides.atom", public_page(LatestGuidesAtomFeed()), name="guides-atom"),
        path("figures.rss", public_page(FiguresFeed()), name="figures"),
        path("figures/<slug:slug>.rss", public_page(FrameworkFiguresFeed()), name="framework-figures"),
    ],
    "feeds",
)

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("frameworks/", include(frameworks_urls)),
    path("compare/", include(compare_urls)),
    path("cards/", include(cards_urls)),
    path("", include(embed_urls)),  # /embed/<metric>/<frameworks>.svg and /badge/<framework>/<metric>.svg
    path("search/", include("search.urls")),
    path("feeds/", include(feeds_urls)),
    path("api/v1/", include("api.urls")),
    # An index of sections, each paginated at 50,000 URLs (?p=2, ...): no one document grows without bound.
    path(
        "sitemap.xml",
        public_page(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS, "template_name": "sitemap_section.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # Browsers ask for /favicon.ico on pages that name no icon (and some ask anyway): send them to the SVG.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.svg")), name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

# A database that cannot be reached gets the styled 503 page, not a 500.
handler500 = "compare_site.health.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
