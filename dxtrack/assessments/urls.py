from django.urls import path

from . import criteria_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("cong-khai/", views.public_results, name="public"),
    path("mo-dot/", views.round_open, name="round_open"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/xep-hang/", views.round_ranking, name="ranking"),
    path("dot/<int:pk>/thao-tac/", views.round_action, name="round_action"),
    path("quyet-dinh/<int:pk>/tai-docx/", views.decision_file, name="decision_file"),
    path("ho-so/<int:pk>/", views.submission_detail, name="submission"),
    path("ho-so/<int:pk>/thao-tac/", views.submission_action, name="submission_action"),
    path("ho-so/<int:pk>/tieu-chi/<int:answer_id>/", views.answer_row, name="answer"),
    path("ho-so/<int:pk>/tieu-chi/<int:answer_id>/y-kien/", views.answer_thread, name="thread"),
    path("nhap-bo-tieu-chi/", criteria_views.imports, name="criteria_imports"),
    path("nhap-bo-tieu-chi/<int:pk>/", criteria_views.import_review, name="criteria_import"),
    path("nhap-bo-tieu-chi/<int:pk>/thong-tin/", criteria_views.import_facts, name="criteria_import_facts"),
    path("nhap-bo-tieu-chi/<int:pk>/muc-cong-nhan/", criteria_views.import_rules, name="criteria_import_rules"),
    path("nhap-bo-tieu-chi/<int:pk>/tieu-chi/<int:index>/", criteria_views.import_item, name="criteria_import_item"),
    path(
        "nhap-bo-tieu-chi/<int:pk>/chap-nhan-tat-ca/",
        criteria_views.import_accept_all,
        name="criteria_import_accept_all",
    ),
    path("nhap-bo-tieu-chi/<int:pk>/ban-hanh/", criteria_views.import_publish, name="criteria_import_publish"),
    path("nhap-bo-tieu-chi/<int:pk>/huy/", criteria_views.import_discard, name="criteria_import_discard"),
    path("xep-hang-tinh/", criteria_views.province_results, name="province_results"),
    path("xep-hang-tinh/tinh-tu-dot/", criteria_views.province_result_compute, name="province_result_compute"),
]
