"""Pages of the initiatives app, for conveners: an initiative's details and parties, its members."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.initiatives.views import initiative, members

app_name = "initiatives"
urlpatterns: list[URLPattern | URLResolver] = [
    path("initiatives/<int:initiative_id>/", initiative.initiative, name="initiative"),
    path("initiatives/<int:initiative_id>/members", members.members, name="members"),
]

# The actor map and a dialogue's delegation (tracktwo.initiatives.actors).
from tracktwo.initiatives.actors import views as actor_views  # noqa: E402

urlpatterns += [
    path("initiatives/<int:initiative_id>/actors", actor_views.actor_map, name="actors"),
    path("initiatives/<int:initiative_id>/actors.csv", actor_views.actor_csv, name="actors-csv"),
    path("dialogues/<int:dialogue_id>/delegation", actor_views.delegation, name="delegation"),
]
