from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("chuong/", views.bell, name="bell"),
    path("<int:pk>/da-doc/", views.read, name="read"),
    path("da-doc-tat-ca/", views.read_all, name="read_all"),
    path("cach-nhan/", views.preferences, name="preferences"),
]
