from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.index, name="index"),
    path("lap/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/luu/", views.save, name="save"),
    path("<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("<int:pk>/xoa/", views.discard, name="discard"),
    path("<int:pk>/tai-docx/", views.download_docx, name="docx"),
    path("<int:pk>/tai-pdf/", views.download_pdf, name="pdf"),
    path("don-vi/<int:pk>/tai-docx/", views.unit_docx, name="unit_docx"),
    path("don-vi/<int:pk>/tai-pdf/", views.unit_pdf, name="unit_pdf"),
    path("quyet-dinh-cong-nhan/<int:pk>/tai-pdf/", views.recognition_pdf, name="recognition_pdf"),
]
