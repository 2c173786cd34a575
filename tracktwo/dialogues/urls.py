"""Pages of the dialogues app."""

from django.urls import URLPattern, URLResolver

app_name = "dialogues"
urlpatterns: list[URLPattern | URLResolver] = []
