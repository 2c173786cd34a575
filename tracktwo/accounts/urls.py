"""Pages of the accounts app."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.accounts import manage_views, password_views, views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", views.home, name="home"),
    path("accounts/sign-in", views.sign_in, name="sign-in"),
    path("accounts/sign-in/totp", views.sign_in_totp, name="sign-in-totp"),
    path("accounts/sign-out", views.sign_out, name="sign-out"),
    path("accounts/totp", manage_views.totp_page, name="totp"),
    path("accounts/tokens", manage_views.tokens_page, name="tokens"),
    path("accounts/sessions", manage_views.sessions_page, name="sessions"),
    path(
        "accounts/set-password/<str:uid>/<str:token>",
        password_views.set_password,
        name="set-password",
    ),
]
