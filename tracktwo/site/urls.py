"""URL configuration: the health check, the JSON API and the domain apps' pages."""

from django.urls import path

from tracktwo.site.api import api
from tracktwo.site.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
]
