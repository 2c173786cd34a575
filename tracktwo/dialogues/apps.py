from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "tracktwo.dialogues"
    label = "dialogues"
