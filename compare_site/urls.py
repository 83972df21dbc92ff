from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "compare_site editors"
admin.site.site_title = "compare_site admin"
admin.site.index_title = "Catalogue and guides"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
