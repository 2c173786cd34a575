"""WSGI entry point: what ``tracktwo serve`` runs under granian (any WSGI server works).

- Bearer-token API calls take the API lane, without the middleware only pages use;
  everything else goes through the full site (see :mod:`tracktwo.site.api_lane`). A plain
  participant's vote is answered before Django's handler (:mod:`tracktwo.site.vote_entry`).
- The URL configuration (and with it every view module) is imported now, while the server
  starts, not by the first requests.
- A process that serves through this module refreshes live analyses in a background
  thread (:mod:`tracktwo.insight.service`), so a long recomputation never holds a request,
  unless ``TRACKTWO_LIVE_BACKGROUND`` is set in the settings.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
site = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after Django is set up
from django.urls import get_resolver  # noqa: E402

from tracktwo.site.api_lane import ApiLaneHandler, Lanes  # noqa: E402
from tracktwo.site.vote_entry import VoteEntry  # noqa: E402

if getattr(settings, "TRACKTWO_LIVE_BACKGROUND", None) is None:
    # A served process refreshes live analyses in its background thread (tracktwo.insight.refresh).
    settings.TRACKTWO_LIVE_BACKGROUND = True

lane = ApiLaneHandler()
application = Lanes(site, lane, VoteEntry(lane))
get_resolver().url_patterns  # noqa: B018 - imports the URLconf
