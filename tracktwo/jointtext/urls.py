"""Pages of a joint text: participants' under ``/d/<id>/joint-text``, the desk and the ranking
under ``/dialogues/<id>/joint-text``."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.jointtext import views

app_name = "jointtext"
urlpatterns: list[URLPattern | URLResolver] = [
    path("d/<int:dialogue_id>/joint-text", views.text, name="text"),
    path("d/<int:dialogue_id>/joint-text/<slug:act>", views.text_act, name="text-act"),
    path("dialogues/<int:dialogue_id>/joint-text", views.desk, name="desk"),
    path("dialogues/<int:dialogue_id>/joint-text/ranking", views.ranking, name="ranking"),
    path("dialogues/<int:dialogue_id>/joint-text/<slug:act>", views.desk_act, name="desk-act"),
]
