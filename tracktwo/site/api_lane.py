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
HSTS and the HTTPS redirect in production), the Content-Security-Policy (the same header,
built once instead of on every response: :class:`ApiCSPMiddleware`), Host validation
(``CommonMiddleware``), the cross-site refusal, the locale (API errors are translated; the
language kept per cookie and header: :mod:`tracktwo.site.lane_locale`),
X-Frame-Options and the safety headers (``Cache-Control: no-store``...). A middleware added
to ``MIDDLEWARE`` later runs in both lanes unless it is added to :data:`PAGE_ONLY`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

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


# In the lane, django-csp's middleware is replaced by one that builds the policy once, and
# Django's locale middleware by one that keeps the language per cookie and header
# (tracktwo.site.lane_locale): the same headers, less work per request.
SITE_CSP = "csp.middleware.CSPMiddleware"
LANE_CSP = "tracktwo.site.api_lane.ApiCSPMiddleware"
SITE_LOCALE = "django.middleware.locale.LocaleMiddleware"
LANE_LOCALE = "tracktwo.site.lane_locale.ApiLocaleMiddleware"
LANE_REPLACES = {SITE_CSP: LANE_CSP, SITE_LOCALE: LANE_LOCALE}


def api_lane_middleware(site: Iterable[str]) -> list[str]:
    """The site's middleware, in order, without :data:`PAGE_ONLY` (and the lane's own in
    place of those :data:`LANE_REPLACES` names)."""
    return [LANE_REPLACES.get(name, name) for name in site if name not in PAGE_ONLY]


# Attributes through which a view sets its own policy (django-csp's decorators).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class ApiCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's policy built once, when the lane is built.

    django-csp builds the header from the settings on every response, twice (the policy and
    the report-only one): a tenth of a vote's CPU in the lane. An API response uses no nonce
    and no per-view policy, so its header is the site's policy as settings define it; a
    response that does use either is built the ordinary way. The header is the same as the
    full site's (a test compares them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.headers: list[tuple[str, str, str, tuple[str, ...]]] = []
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            value = build_policy(report_only=report_only)
            if value:
                config = getattr(settings, setting, None) or {}
                prefixes = tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ())
                self.headers.append((header, value, exempt, prefixes))

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for header, value, exempt, prefixes in self.headers:
            if (
                header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after this point is an error, not a silent miss.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


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
    """The WSGI application: the API lane for bearer-token API calls, the full site else.

    With ``votes`` (:class:`tracktwo.site.vote_entry.VoteEntry`, which hands everything but
    a plain vote to the API lane), a bearer-token ``POST`` to the API goes to it first."""

    def __init__(self, site: WSGIApp, api: WSGIApp, votes: WSGIApp | None = None) -> None:
        self.site = site
        self.api = api
        self.votes = votes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if takes_api_lane(environ):
            if self.votes is not None and environ.get("REQUEST_METHOD") == "POST":
                return self.votes(environ, start_response)
            return self.api(environ, start_response)
        return self.site(environ, start_response)
