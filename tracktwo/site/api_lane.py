"""The API lane: bearer-token calls to /api/ skip the middleware only pages use.

A JSON API call that carries ``Authorization: Bearer`` and no session cookie cannot use a
session, messages, a signed-in user, the sign-in policy, a CSRF token or static files: the
API authenticates it by its token alone (:mod:`tracktwo.accounts.auth`), and with no session
cookie :class:`~tracktwo.accounts.auth.SessionAuth` never looks at a session. Those eight
middleware classes still cost about a fifth of such a request's CPU, and the vote route
(``POST /api/v1/dialogues/{id}/votes``) is called by every participant every few seconds.

:func:`application` (what ``tracktwo.site.wsgi`` serves) therefore sends such requests to a
second Django handler built from the site's ``MIDDLEWARE`` without :data:`PAGE_ONLY`; every
other request -- pages, static files, API calls made with a browser session (the dashboard's
polling, which needs the session and CSRF checks), calls without a bearer token -- goes
through the full list as before. The lane keeps everything else in ``MIDDLEWARE``, in the
same order: the security headers (``SecurityMiddleware``: nosniff, Referrer-Policy, COOP,
HSTS and the HTTPS redirect in production), the Content-Security-Policy, Host validation
(``CommonMiddleware``), the cross-site refusal, the locale (API errors are translated),
X-Frame-Options and the safety headers (``Cache-Control: no-store``...). A middleware added
to ``MIDDLEWARE`` later runs in both lanes unless it is added to :data:`PAGE_ONLY`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIX = "/api/"

# Middleware a bearer-token API call without a session cookie never needs.
PAGE_ONLY = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, never under /api/
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # the API's views are CSRF-exempt anyway
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "tracktwo.accounts.middleware.SignInPolicyMiddleware",  # signed-in sessions only
        "django.contrib.messages.middleware.MessageMiddleware",
    }
)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def api_lane_middleware(site: Iterable[str]) -> list[str]:
    """The site's middleware, in order, without :data:`PAGE_ONLY`."""
    return [name for name in site if name not in PAGE_ONLY]


class ApiLaneHandler(WSGIHandler):
    """A Django WSGI handler whose middleware chain is :func:`api_lane_middleware`."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; it runs once, when the
        # handler is built at import time, before any request is served.
        site = settings.MIDDLEWARE
        settings.MIDDLEWARE = api_lane_middleware(site)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site


def takes_api_lane(environ: dict[str, Any]) -> bool:
    """A bearer-token call to the API that carries no session cookie."""
    if not environ.get("PATH_INFO", "").startswith(API_PREFIX):
        return False
    if environ.get("HTTP_AUTHORIZATION", "")[:7].lower() != "bearer ":
        return False
    # A cookie merely *named like* the session cookie sends the request the full way, which
    # is always correct; a session cookie can never take the lane.
    return f"{settings.SESSION_COOKIE_NAME}=" not in environ.get("HTTP_COOKIE", "")


class Lanes:
    """The WSGI application: the API lane for bearer-token API calls, the full site else."""

    def __init__(self, site: WSGIApp, api: WSGIApp) -> None:
        self.site = site
        self.api = api

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if takes_api_lane(environ):
            return self.api(environ, start_response)
        return self.site(environ, start_response)
