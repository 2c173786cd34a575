from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "tracktwo.insight"
    label = "insight"
