from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "tracktwo.initiatives"
    label = "initiatives"
