from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "tracktwo.safety"
    label = "safety"
