from django.urls import path

from dxtrack.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("nghia-vu/<int:pk>/", views.obligation_open, name="obligation"),
    path("tong-hop/", views.completeness, name="completeness"),
    path("tong-hop/<int:period_id>/", views.period_detail, name="period"),
    path("cho-duyet/", views.queue, name="queue"),
    path("cho-duyet/duyet/", views.queue_approve, name="queue_approve"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/chi-tieu/<slug:code>/", views.value_row, name="value"),
    path("<int:pk>/nhiem-vu/<int:task_id>/", views.task_row, name="task"),
    path("<int:pk>/nhiem-vu/<int:task_id>/minh-chung/", views.task_evidence, name="evidence"),
    path("<int:pk>/nhiem-vu/<int:task_id>/minh-chung/xoa/", views.task_evidence_remove_view, name="evidence_remove"),
    path("<int:pk>/thuyet-minh/", views.narrative, name="narrative"),
    path("<int:pk>/ban-in/", views.report_print, name="print"),
    path("<int:pk>/thao-tac/", views.transition, name="transition"),
    path("<int:pk>/de-nghi-ky/", views.signature, name="signature"),
]
