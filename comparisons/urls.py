"""URLs of the framework pages and the compare pages, and of their figures as CSV and JSON; ``compare_site.urls``
includes both."""

from django.urls import path

from . import downloads, views

frameworks_urls = (
    [
        path("", views.framework_list, name="list"),
        path("<slug:slug>/", views.framework_detail, name="detail"),
        path("<slug:slug>/adopters/", views.framework_adopters, name="adopters"),
        path("<slug:slug>/figures.csv", downloads.framework_csv, name="figures-csv"),
        path("<slug:slug>/figures.json", downloads.framework_json, name="figures-json"),
    ],
    "frameworks",
)

compare_urls = (
    [
        path("", views.compare_pick, name="pick"),
        path("<slug:slugs>/", views.compare_detail, name="detail"),
        path("<slug:slugs>/figures.csv", downloads.compare_csv, name="figures-csv"),
        path("<slug:slugs>/figures.json", downloads.compare_json, name="figures-json"),
    ],
    "compare",
)
