"""Pages of a listening circle: the circle's under ``/d/<id>/circle``, the desk under
``/dialogues/<id>/circle``."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.circles import views

app_name = "circles"
urlpatterns: list[URLPattern | URLResolver] = [
    path("d/<int:dialogue_id>/circle", views.circle, name="circle"),
    path("dialogues/<int:dialogue_id>/circle", views.desk, name="desk"),
    path("dialogues/<int:dialogue_id>/circle/<slug:act>", views.desk_act, name="desk-act"),
]
