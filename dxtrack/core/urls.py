from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("viec/<int:pk>/", views.job_status, name="job"),
    path("viec/<int:pk>/tep/", views.job_file, name="job_file"),
]
