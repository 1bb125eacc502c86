from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("tro-giup/", views.help_page, name="help"),
    path("viec-cua-toi/", views.my_work, name="my_work"),
]
