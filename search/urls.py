"""Site search: the results page and the pickers' JSON suggestions; ``compare_site.urls`` includes them at /search/."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest.json", views.suggest, name="suggest"),
]
