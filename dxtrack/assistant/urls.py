from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("hoi/", views.ask_view, name="ask"),
]
