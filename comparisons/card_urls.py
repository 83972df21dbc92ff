"""URLs of the social cards, one beside each public page; ``compare_site.urls`` includes them at /cards/."""

from django.urls import path

from . import card_views

cards_urls = (
    [
        path("guides/<slug:slug>.png", card_views.guide_png, name="guide"),
        path("frameworks/<slug:slug>.png", card_views.framework_png, name="framework"),
        path("compare/<slug:slugs>.png", card_views.compare_png, name="compare"),
    ],
    "cards",
)
