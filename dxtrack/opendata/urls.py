from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    # CKAN clients call <site>/api/action/<name> (ckanapi) or <site>/api/3/action/<name>.
    path("api/3/action/<str:action>", views.ckan_action, name="ckan_action"),
    path("api/action/<str:action>", views.ckan_action, name="ckan_action_unversioned"),
    path("api/3", views.ckan_version, name="ckan_version"),
    path("api", views.ckan_version),
    path("<str:slug>.<str:fmt>", views.download, name="file"),
]
