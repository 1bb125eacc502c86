from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("lich/", views.schedule, name="schedule"),
]
