from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from compare_site.health import healthz

admin.site.site_header = "compare_site editors"
admin.site.site_title = "compare_site admin"
admin.site.index_title = "Catalogue and guides"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

# A database that cannot be reached gets the styled 503 page, not a 500.
handler500 = "compare_site.health.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
