"""URLs of the framework pages and the compare pages; ``compare_site.urls`` includes both."""

from django.urls import path

from . import views

frameworks_urls = (
    [
        path("", views.framework_list, name="list"),
        path("<slug:slug>/", views.framework_detail, name="detail"),
        path("<slug:slug>/adopters/", views.framework_adopters, name="adopters"),
    ],
    "frameworks",
)

compare_urls = (
    [
        path("", views.compare_pick, name="pick"),
        path("<slug:slugs>/", views.compare_detail, name="detail"),
    ],
    "compare",
)
