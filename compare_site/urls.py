from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from pagecache.decorators import public_page

from .health import healthz
from .sitemaps import SITEMAPS
from .views import robots_txt

admin.site.site_header = "compare_site editors"
admin.site.site_title = "compare_site admin"
admin.site.index_title = "Catalogue and guides"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("compare/", include("frameworks.compare_urls")),
    path("feeds/", include("compare_site.feed_urls")),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

# A database that cannot be reached gets the styled 503 page, not a 500.
handler500 = "compare_site.health.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
