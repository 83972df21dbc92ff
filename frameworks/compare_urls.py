from django.urls import path

from . import views

app_name = "compare"

urlpatterns = [
    path("", views.compare_pick, name="pick"),
    path("<slug:slugs>/", views.compare_detail, name="detail"),
]
