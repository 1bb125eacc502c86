from django.urls import path

from . import views

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
]
