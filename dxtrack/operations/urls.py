from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("lich/", views.schedule, name="schedule"),
    path("lenh/", views.commands, name="commands"),
    path("lenh/nhac-bao-cao/", views.command_remind, name="command_remind"),
    path("lenh/khoa-so/", views.command_periods, name="command_periods"),
    path("lenh/khoa-so/<int:pk>/", views.command_close, name="command_close"),
    path("lenh/mo-khoa/", views.command_unlocks, name="command_unlocks"),
    path("lenh/mo-khoa/<int:pk>/", views.command_unlock, name="command_unlock"),
    path("lenh/tinh-lai/", views.command_recompute, name="command_recompute"),
    path("lenh/tinh-lai/<int:pk>/", views.command_recompute_job, name="command_recompute_job"),
    path("lenh/nhap-lai/", views.command_imports, name="command_imports"),
    path("lenh/nhap-lai/<int:pk>/", views.command_import, name="command_import"),
]
