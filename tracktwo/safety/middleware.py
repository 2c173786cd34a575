"""Response hardening that Django's own middleware does not cover, and 429 pages.

- ``Cache-Control: no-store`` on every dynamic response that sets no cache policy
  itself, so a shared or seized device keeps no copy of dialogue pages and the
  Back button after a quick exit cannot show one from the cache.
- ``Permissions-Policy`` (no camera, microphone, geolocation...), ``X-Robots-Tag``
  (never indexed) and ``Cross-Origin-Resource-Policy: same-origin``.
- :class:`tracktwo.safety.ratelimit.RateLimited` raised by a page becomes a
  neutral 429 page with ``Retry-After`` (the JSON API answers 429 JSON itself).
- :class:`SameOriginFormMiddleware` lets the site send ``Referrer-Policy: no-referrer``
  and still accept its own forms (below).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string

from tracktwo.safety import outage
from tracktwo.safety.ratelimit import RateLimited

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()"
)


class SafetyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Robots-Tag", "noindex, nofollow")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if outage.is_outage(exception):
            response = HttpResponse(str(outage.MESSAGE), status=503, content_type="text/plain")
            response["Retry-After"] = str(outage.RETRY_AFTER)
            return response
        if not isinstance(exception, RateLimited):
            return None
        body = render_to_string(
            "errors/429.html", {"retry_after": exception.retry_after}, request=request
        )
        response = HttpResponse(body, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SameOriginFormMiddleware:
    """Vouch for ``Origin: null`` on a browser's own same-origin form post, from Fetch Metadata.

    Under ``Referrer-Policy: no-referrer`` a browser sends no ``Referer`` and serialises the
    ``Origin`` of every POST as ``null`` (Fetch standard, "append a request Origin header"),
    even from our own pages; Django's CSRF check then refuses every form. Browsers also send
    ``Sec-Fetch-Site`` on every request, a header no page script can set: ``same-origin``
    means the request came from one of our own pages. Only then is ``Origin: null`` replaced
    by this site's own origin, before ``CsrfViewMiddleware`` compares it; the CSRF token is
    still checked as always. An unsafe request that a browser marks ``cross-site`` is refused
    here, whatever it carries (the site offers no cross-origin API: no CORS).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in UNSAFE_METHODS:
            site = request.META.get("HTTP_SEC_FETCH_SITE")
            if site == "cross-site":
                return HttpResponseForbidden("Cross-site request refused.")
            if request.META.get("HTTP_ORIGIN") == "null" and site == "same-origin":
                request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)


class BodySizeMiddleware:
    """Answer a request body larger than Django accepts (``DATA_UPLOAD_MAX_MEMORY_SIZE``,
    2.5 MB) with 413 and a one-line reason, before anything reads it: no traceback in the
    log, no half-parsed form. API paths get JSON, pages a short text."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.http import JsonResponse

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            reason = f"the request body is too large (at most {limit / 1_048_576:.1f} MB)"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=413)
            return HttpResponse(reason, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
