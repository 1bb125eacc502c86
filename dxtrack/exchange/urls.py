from django.urls import path

from . import views

# Under /bao-cao/ beside the report pages: the paths are those of before the move.
app_name = "exchange"
urlpatterns = [
    path("<int:pk>/mau-excel/", views.excel_template, name="excel_template"),
    path("<int:pk>/tai-len-excel/", views.excel_upload, name="excel_upload"),
]
