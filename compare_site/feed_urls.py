from django.urls import path

from articles.feeds import LatestGuidesAtomFeed, LatestGuidesFeed
from frameworks.feeds import FiguresFeed, FrameworkFiguresFeed

from .views import conditional

app_name = "feeds"

urlpatterns = [
    path("guides.rss", conditional(LatestGuidesFeed()), name="guides-rss"),
    path("guides.atom", conditional(LatestGuidesAtomFeed()), name="guides-atom"),
    path("figures.rss", conditional(FiguresFeed()), name="figures"),
    path("figures/<slug:slug>.rss", conditional(FrameworkFiguresFeed()), name="framework-figures"),
]
