"""The API lane: a bearer-token call to /api/ without a session cookie skips the page-only
middleware (sessions, CSRF, auth, messages, sign-in policy, static files) and keeps every
security header and check; anything else, a browser session above all, goes the full way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_support import Scene, account
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from wsgi_support import Served

from tracktwo.dialogues.models import Vote
from tracktwo.site.api_lane import (
    LANE_CSP,
    LANE_LOCALE,
    LANE_REPLACES,
    PAGE_ONLY,
    ApiCSPMiddleware,
    ApiLaneHandler,
    Lanes,
    api_lane_middleware,
    takes_api_lane,
)

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "X-Robots-Tag",
    "Cache-Control",
    "Content-Language",
)


def _recording(name: str, app: Callable[..., Any], seen: list[str]) -> Callable[..., Any]:
    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        seen.append(name)
        return app(environ, start_response)

    return wrapper


@pytest.fixture
def served() -> Served:
    seen: list[str] = []
    app = Lanes(_recording("site", WSGIHandler(), seen), _recording("api", ApiLaneHandler(), seen))
    return Served(app, seen)


def test_it_records_a_bearer_vote_in_the_lane_with_every_security_header(
    scene: Scene, served: Served
) -> None:
    sid = scene.seed("Through the lane.")
    token = scene.join("Alice")["participant_token"]
    lane = served.call(
        "POST",
        f"/api/v1/dialogues/{scene.id}/votes",
        token=token,
        body={"statement": sid, "vote": "agree"},
    )
    assert (lane.status, lane.body) == (201, {"statement": sid, "vote": "agree"})
    assert served.lanes == ["api"]
    assert Vote.objects.count() == 1
    # The same call through the full middleware list carries the same security headers.
    full = Served(Lanes(WSGIHandler(), WSGIHandler()), []).call(
        "POST",
        f"/api/v1/dialogues/{scene.id}/votes",
        token=token,
        body={"statement": sid, "vote": "pass"},
    )
    assert full.status == 201
    for name in SECURITY_HEADERS:
        assert lane.headers.get(name) == full.headers.get(name), name
        assert lane.headers.get(name), name
    assert "no-store" in lane.headers["Cache-Control"]
    assert lane.headers["X-Content-Type-Options"] == "nosniff"
    assert lane.headers["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in lane.headers


def test_it_refuses_in_the_lane_what_the_api_refuses(scene: Scene, served: Served) -> None:
    sid = scene.seed("Still checked.")
    path = f"/api/v1/dialogues/{scene.id}/votes"
    body = {"statement": sid, "vote": "agree"}
    assert served.call("POST", path, token="t2p_" + "x" * 43, body=body).status == 401
    assert served.call("POST", path, token=scene.convener_token, body=body).status == 403
    # A browser marks a cross-site request so; the lane refuses it as the site does.
    alice = scene.join("Alice")["participant_token"]
    refused = served.call("POST", path, token=alice, body=body, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status == 403
    assert served.lanes == ["api", "api", "api"]
    assert Vote.objects.count() == 0


def test_it_sends_browser_session_calls_the_full_way(scene: Scene, served: Served) -> None:
    user, _ = account("session-holder")
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    body = {"title": "x", "format": "problem-solving-workshop", "confidentiality": "chatham-house",
            "parties": ["A", "B"]}  # fmt: skip
    # A session-authenticated write without its CSRF token is refused: sessions, auth and
    # CSRF all ran.
    refused = served.call("POST", "/api/v1/dialogues", body=body, cookie=cookie)
    assert refused.status == 403
    # With a session cookie, even a bearer call goes the full way.
    mine = served.call("GET", "/api/v1/me", token=scene.convener_token, cookie=cookie)
    assert mine.status == 200
    assert served.call("GET", "/healthz").status == 200
    assert served.lanes == ["site", "site", "site"]


@pytest.mark.parametrize(
    ("environ", "lane"),
    [
        ({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": "Bearer t2u_x"}, True),
        ({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": "bearer t2u_x"}, True),
        ({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": "Bearer t2u_x", "HTTP_COOKIE": "csrftoken=a"}, True),
        ({"PATH_INFO": "/api/v1/me"}, False),
        ({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": "Basic eDp5"}, False),
        ({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": "Bearer t2u_x", "HTTP_COOKIE": "a=1; sessionid=abc"}, False),
        ({"PATH_INFO": "/accounts/", "HTTP_AUTHORIZATION": "Bearer t2u_x"}, False),
        ({"PATH_INFO": "/static/api/x.js", "HTTP_AUTHORIZATION": "Bearer t2u_x"}, False),
    ],
)  # fmt: skip
def test_it_chooses_the_lane_by_path_token_and_cookie(environ: dict[str, str], lane: bool) -> None:
    assert takes_api_lane(environ) is lane


def test_it_builds_the_lane_from_the_site_middleware_less_the_page_only() -> None:
    site = list(settings.MIDDLEWARE)
    lane = api_lane_middleware(site)
    assert lane == [LANE_REPLACES.get(n, n) for n in site if n not in PAGE_ONLY]
    assert set(site) >= set(LANE_REPLACES)  # a renamed one would silently be left as it is
    assert set(site) >= PAGE_ONLY  # a renamed page middleware would silently stay in the lane
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        LANE_CSP,
        LANE_LOCALE,
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "tracktwo.safety.middleware.SafetyMiddleware",
    ):
        assert kept in lane, kept
    assert site == settings.MIDDLEWARE  # building the lane left the site's list alone
    ApiLaneHandler()
    assert site == settings.MIDDLEWARE


def test_it_builds_the_same_content_security_policy_once() -> None:
    from csp.constants import HEADER
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    def answer(request: Any) -> HttpResponse:
        return HttpResponse("{}", content_type="application/json")

    def through(middleware_class: type[CSPMiddleware], **response_attrs: Any) -> HttpResponse:
        request = RequestFactory().get("/api/v1/me")
        middleware = middleware_class(answer)
        middleware.process_request(request)
        response = answer(request)
        for name, value in response_attrs.items():
            setattr(response, name, value)
        return middleware.process_response(request, response)  # type: ignore[return-value]

    assert through(ApiCSPMiddleware)[HEADER] == through(CSPMiddleware)[HEADER]
    # A response with a policy of its own, or exempt, is treated as django-csp treats it.
    replaced = through(ApiCSPMiddleware, _csp_replace={"img-src": ["'none'"]})
    assert replaced[HEADER] == through(CSPMiddleware, _csp_replace={"img-src": ["'none'"]})[HEADER]
    assert "img-src 'none'" in replaced[HEADER]
    assert HEADER not in through(ApiCSPMiddleware, _csp_exempt=True)
    # A request that asked for a nonce gets the header django-csp builds for it.
    headers = []
    for middleware_class in (ApiCSPMiddleware, CSPMiddleware):
        request = RequestFactory().get("/api/v1/me")
        middleware = middleware_class(answer)
        middleware.process_request(request)
        str(request.csp_nonce)  # type: ignore[attr-defined]
        request._csp_nonce = "fixed"  # type: ignore[attr-defined]
        headers.append(middleware.process_response(request, answer(request))[HEADER])
    assert headers[0] == headers[1]
