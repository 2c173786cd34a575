"""Pages of a Sustained Dialogue: the group's under ``/d/<id>/sustained``, the desk under
``/dialogues/<id>/sustained``."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.sustained import views

app_name = "sustained"
urlpatterns: list[URLPattern | URLResolver] = [
    path("d/<int:dialogue_id>/sustained", views.group, name="group"),
    path("d/<int:dialogue_id>/sustained/<slug:act>", views.group_act, name="group-act"),
    path("dialogues/<int:dialogue_id>/sustained", views.desk, name="desk"),
    path("dialogues/<int:dialogue_id>/sustained/<slug:act>", views.desk_act, name="desk-act"),
]
