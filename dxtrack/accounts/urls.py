from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("cua-toi/", views.profile, name="profile"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("token/", views.tokens, name="tokens"),
    path("khoa-dang-nhap/", views.lockouts, name="lockouts"),
    path("token/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("phien-dang-nhap/", views.sessions_page, name="sessions"),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/<int:pk>/trang-thai/", views.user_active, name="user_active"),
]
