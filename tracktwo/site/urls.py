"""URL configuration: each role's home (``/``), the health check, the JSON API, quick exit, i18n and the domain apps' pages."""

from django.conf import settings
from django.urls import include, path

from tracktwo.accounts import shell
from tracktwo.accounts.admin import operator_site
from tracktwo.dialogues.api import vote_route
from tracktwo.site.api import api
from tracktwo.site.health import healthz
from tracktwo.site.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # A plain participant's vote without the API framework (the rest goes to the API route).
    path(vote_route.PATH, vote_route.vote, name="vote"),
    path("api/v1/", api.urls),
    path("exit", shell.quick_exit, name="exit"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tracktwo.accounts.urls")),
    path("", include("tracktwo.initiatives.urls")),
    path("", include("tracktwo.dialogues.urls")),
    path("", include("tracktwo.insight.urls")),
    path("", include("tracktwo.transfer.urls")),
    path("", include("tracktwo.backchannel.urls")),
    path("", include("tracktwo.evaluation.urls")),
    path("", include("tracktwo.sustained.urls")),
    path("", include("tracktwo.circles.urls")),
    path("", include("tracktwo.jointtext.urls")),
    path("", include("tracktwo.consent.urls")),
    path("", include("tracktwo.workers.urls")),
    path(f"{settings.TRACKTWO_ADMIN_PATH}/", operator_site.urls),
]

handler400 = "tracktwo.accounts.shell.bad_request"
handler403 = "tracktwo.accounts.shell.permission_denied"
handler404 = "tracktwo.accounts.shell.page_not_found"
handler500 = "tracktwo.accounts.shell.server_error"
