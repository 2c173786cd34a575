from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tracktwo.accounts"
    label = "accounts"
