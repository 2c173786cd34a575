from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tracktwo.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tracktwo.accounts import signals  # noqa: F401 - connects the receivers
