"""Pages of the back-channel: a side's messages and caucus, the facilitators' desk."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.backchannel import views, views_access

app_name = "backchannel"
urlpatterns: list[URLPattern | URLResolver] = [
    path("initiatives/<int:initiative_id>/back-channel", views.channel, name="channel"),
    path("initiatives/<int:initiative_id>/back-channel/caucus", views.caucus, name="caucus"),
    path("back-channel/messages/<int:message_id>/<slug:verb>", views.act, name="act"),
    path("back-channel/exchanges/<int:exchange_id>", views_access.exchange, name="exchange"),
]
