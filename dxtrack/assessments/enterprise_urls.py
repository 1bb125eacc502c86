from django.urls import path

from . import enterprise_views as views

app_name = "enterprises"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.register, name="register"),
    path("tra-loi/", views.answer, name="answer"),
    path("thong-ke/", views.distribution, name="distribution"),
]
