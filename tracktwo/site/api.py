"""The JSON API under /api/v1 (django-ninja); each domain app adds its router here.

Errors are JSON ``{"detail": ...}`` with a 4xx status for a caller's mistake:
any exception carrying an ``http_status`` attribute (domain errors such as
``NotAllowed`` 403, ``NotFound`` 404, ``HandleTaken`` 409, ``InvitationUsed`` 410,
``RateLimited`` 429 with ``Retry-After``) gives that status and its message;
Django's ``PermissionDenied`` gives 403, ``ObjectDoesNotExist`` 404 and
``ValidationError`` 400. The database or Redis unreachable gives 503 with ``Retry-After``
(:mod:`tracktwo.safety.outage`). Anything else is a real 500 (see tracktwo.accounts.shell).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tracktwo.accounts.api import router as accounts_router
from tracktwo.backchannel.api import router as backchannel_router
from tracktwo.backchannel.api_access import router as backchannel_access_router
from tracktwo.circles.api import router as circles_router
from tracktwo.consent.api import router as consent_router
from tracktwo.dialogues.api import router as dialogues_router
from tracktwo.evaluation.api import router as evaluation_router
from tracktwo.evaluation.api_more import router as evaluation_more_router
from tracktwo.initiatives.actors.api import router as actors_router
from tracktwo.jointtext.api import router as jointtext_router
from tracktwo.safety import outage
from tracktwo.sustained.api import router as sustained_router
from tracktwo.transfer.api import router as transfer_router

api = NinjaAPI(title="tracktwo", version="1", urls_namespace="api")
api.add_router("/", accounts_router)
api.add_router("/", dialogues_router)
api.add_router("/", transfer_router)
api.add_router("/", backchannel_router)
api.add_router("/", backchannel_access_router)
api.add_router("/", evaluation_router)
api.add_router("/", evaluation_more_router)
api.add_router("/", sustained_router)
api.add_router("/", circles_router)
api.add_router("/", jointtext_router)
api.add_router("/", consent_router)
api.add_router("/", actors_router)


def _detail(request: HttpRequest, detail: object, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Exception)
def _domain_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = getattr(exc, "http_status", None)
    if isinstance(status, int) and 400 <= status < 500:
        response = _detail(request, str(exc) or "Request refused", status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(int(retry_after))
        return response
    if isinstance(exc, PermissionDenied):
        return _detail(request, str(exc) or "Forbidden", 403)
    if isinstance(exc, ObjectDoesNotExist):
        return _detail(request, "Not found", 404)
    if isinstance(exc, ValidationError):
        return _detail(request, " ".join(exc.messages) or "Invalid request", 400)
    if outage.is_outage(exc):  # the database or Redis is down or restarting
        response = _detail(request, str(outage.MESSAGE), 503)
        response["Retry-After"] = str(outage.RETRY_AFTER)
        return response
    raise exc  # a real fault: Django logs it (redacted) and answers 500 JSON
