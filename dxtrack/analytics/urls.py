from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("cong-khai/", views.public, name="public"),
    path("chi-tieu/<int:pk>/", views.target_detail, name="target"),
    path("co-quan/<slug:code>/", views.agency_detail, name="agency"),
    path("xa/<int:pk>/", views.commune_detail, name="commune"),
    path("xep-hang/<slug:kind>/", views.ranking, name="ranking"),
]
