from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.index, name="index"),
    path("tim-kiem/", views.search, name="search"),
    path("co-quan/<slug:code>/", views.agency_detail, name="agency"),
    path("co-quan/<slug:code>/dau-moi/", views.agency_contact, name="agency_contact"),
    path("nhom/<slug:code>/", views.group_detail, name="group"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("don-vi/<int:pk>/dau-moi/", views.unit_contact, name="unit_contact"),
]
