from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("viec-cua-toi/", views.my_work, name="my_work"),
]
