from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("tim-kiem/", views.search, name="search"),
    path("chi-tieu/", views.target_list, name="targets"),
    path("nhiem-vu/", views.task_list, name="tasks"),
    path("chi-tieu-theo-doi/<slug:code>/", views.indicator_detail, name="indicator"),
    path("van-ban/<slug:code>/", views.document_detail, name="document"),
    path("van-ban/<slug:code>/dieu/<str:path>/", views.clause_detail, name="clause"),
    path("co-quan/<slug:code>/", views.agency_tasks, name="agency"),
    path("nhap/", views.import_list, name="imports"),
    path("nhap/<int:pk>/", views.import_review, name="import"),
    path("nhap/<int:pk>/van-ban/", views.import_meta, name="import_meta"),
    path("nhap/<int:pk>/muc/<int:item>/", views.import_item, name="import_item"),
    path("nhap/<int:pk>/chap-nhan-tat-ca/", views.import_accept_all, name="import_accept_all"),
    path("nhap/<int:pk>/dua-vao-danh-muc/", views.import_publish, name="import_publish"),
    path("nhap/<int:pk>/huy/", views.import_discard, name="import_discard"),
    path("nhap/<int:pk>/muc/<int:item>/tim-chi-tieu/", views.import_indicator_search, name="import_indicator_search"),
    path("nhap/<int:pk>/muc/<int:item>/gan-chi-tieu/", views.import_indicator_link, name="import_indicator_link"),
]
