from django.urls import path

from articles.feeds import LatestGuidesAtomFeed, LatestGuidesFeed
from frameworks.feeds import FiguresFeed, FrameworkFiguresFeed
from pagecache.decorators import public_page

app_name = "feeds"

urlpatterns = [
    path("guides.rss", public_page(LatestGuidesFeed()), name="guides-rss"),
    path("guides.atom", public_page(LatestGuidesAtomFeed()), name="guides-atom"),
    path("figures.rss", public_page(FiguresFeed()), name="figures"),
    path("figures/<slug:slug>.rss", public_page(FrameworkFiguresFeed()), name="framework-figures"),
]
