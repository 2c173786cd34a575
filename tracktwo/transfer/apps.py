from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "tracktwo.transfer"
    label = "transfer"
