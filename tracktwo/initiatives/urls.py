"""Pages of the initiatives app, for conveners: an initiative's details and parties, its members."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.initiatives.views import initiative, members

app_name = "initiatives"
urlpatterns: list[URLPattern | URLResolver] = [
    path("initiatives/<int:initiative_id>/", initiative.initiative, name="initiative"),
    path("initiatives/<int:initiative_id>/members", members.members, name="members"),
]
