"""URLs of the embeds; ``compare_site.urls`` includes them at the root."""

from django.urls import path

from . import embed_views

embed_urls = (
    [
        path("embed/<slug:metric>/<slug:slugs>.svg", embed_views.chart_svg, name="chart"),
        path("badge/<slug:slug>/<slug:metric>.svg", embed_views.badge_svg, name="badge"),
    ],
    "embeds",
)
