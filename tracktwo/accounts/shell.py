"""The page shell's own views: quick exit and neutral error pages (JSON under /api/)."""

from __future__ import annotations

import sys

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tracktwo.safety import outage

API_PREFIX = "/api/"
_DETAIL = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    500: "Internal error",
}


@csrf_exempt  # ending one's own session must work even with a stale form
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """End the session server-side and show an innocuous page that says nothing of this site."""
    logout(request)  # also flushes the session, participant or account holder alike
    request.session.flush()
    response = render(request, "exit.html")
    response["Cache-Control"] = "no-store"
    # Ask the browser to drop this site's cookies and storage too (HTTPS or localhost only).
    response["Clear-Site-Data"] = '"cookies", "storage"'
    return response


def _error(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _DETAIL[status]}, status=status)
    if status == 500:
        # No request context: rendering must not depend on anything that may have failed.
        return HttpResponse(render_to_string("errors/500.html"), status=500)
    return render(request, f"errors/{status}.html", status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with ``Retry-After`` when the database or Redis cannot be reached.

    Views' outages become 503 in :class:`~tracktwo.safety.middleware.SafetyMiddleware`; an
    outage inside a middleware (loading the session, the signed-in user) only reaches this
    handler, which Django calls while handling the exception.
    """
    failure = sys.exc_info()[1]
    if failure is not None and outage.is_outage(failure):
        if request.path.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse({"detail": str(outage.MESSAGE)}, status=503)
        else:
            response = HttpResponse(str(outage.MESSAGE), status=503, content_type="text/plain")
        response["Retry-After"] = str(outage.RETRY_AFTER)
        return response
    return _error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check: the neutral 403 page, which suggests reloading the form."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "CSRF check failed"}, status=403)
    return render(request, "errors/403.html", {"csrf": True}, status=403)
