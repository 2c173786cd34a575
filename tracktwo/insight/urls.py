"""Pages of the insight app: a dialogue's live dashboard and its one-second refresh."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.insight import views

app_name = "insight"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dialogues/<int:dialogue_id>/dashboard", views.dashboard, name="dashboard"),
    path("dialogues/<int:dialogue_id>/dashboard/live", views.dashboard_live, name="dashboard-live"),
]
