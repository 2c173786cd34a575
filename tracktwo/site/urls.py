"""URL configuration: the health check, the JSON API and the domain apps' pages."""

from django.urls import include, path

from tracktwo.site.api import api
from tracktwo.site.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("tracktwo.accounts.urls")),
    path("", include("tracktwo.dialogues.urls")),
    path("", include("tracktwo.safety.urls")),
    path("", include("tracktwo.transfer.urls")),
]
