from django.urls import path

from pagecache.decorators import public_page

from . import views
from .feeds import GuideChangesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="list"),
    path("guides/<slug:slug>/", views.article_detail, name="detail"),
    path("guides/<slug:slug>/changes.atom", public_page(GuideChangesFeed()), name="changes"),
    path("guides/<slug:slug>/preview/<str:token>/", views.article_preview, name="preview"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
]
