from django.urls import path

from . import views

app_name = "steering"
urlpatterns = [
    path("", views.index, name="index"),
    path("phien-hop/moi/", views.schedule, name="schedule"),
    path("phien-hop/<int:pk>/", views.session_detail, name="session"),
    path("phien-hop/<int:pk>/bien-ban/", views.session_record, name="session_record"),
    path("phien-hop/<int:pk>/huy/", views.session_cancel, name="session_cancel"),
    path("phien-hop/<int:pk>/tai-lieu/", views.pack_prepare, name="pack_prepare"),
    path("phien-hop/<int:pk>/tai-lieu/<int:pack>/", views.pack_detail, name="pack"),
    path("phien-hop/<int:pk>/tai-lieu/<int:pack>/docx/", views.pack_docx, name="pack_docx"),
    path("phien-hop/<int:pk>/tai-lieu/<int:pack>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("phien-hop/<int:pk>/ket-luan/nhap/", views.conclusions_upload, name="conclusions_upload"),
    path("phien-hop/<int:pk>/ket-luan/chi-dao/", views.directive_add, name="directive_add"),
    path("phien-hop/<int:pk>/ket-luan/dua-vao-danh-muc/", views.conclusions_publish, name="conclusions_publish"),
    path("chi-dao/<int:task>/dong/", views.directive_close, name="directive_close"),
    path("theo-doi/", views.follow_up, name="follow_up"),
    path("theo-doi/excel/", views.follow_up_excel, name="follow_up_excel"),
    path("kiem-tra/", views.inspections_index, name="inspections"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="inspection"),
    path("kiem-tra/cuoc/<int:visit>/phat-hien/", views.finding_add, name="finding_add"),
    path("kiem-tra/phat-hien/", views.my_findings, name="my_findings"),
    path("kiem-tra/phat-hien/<int:pk>/tra-loi/", views.finding_answer, name="finding_answer"),
    path("kiem-tra/phat-hien/<int:pk>/dong/", views.finding_close, name="finding_close"),
    path("kiem-tra/khac-phuc/<int:pk>/xong/", views.action_done, name="action_done"),
]
