from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
]
