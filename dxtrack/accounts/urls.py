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
]
