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

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

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
from tracktwo.workers.api import router as workers_router

# The schema and its docs are public reading: they name neither the software nor the work
# it serves (participants rely on a neutral name), in titles, descriptions or operation ids.
NEUTRAL_WORDING = (
    (re.compile(r"\btracktwo\b", re.IGNORECASE), "the site"),
    (re.compile(r"\bTrack One bod(y|ies)\b", re.IGNORECASE), "recipient"),
    (re.compile(r"\bTrack One\b", re.IGNORECASE), "official"),
    (re.compile(r"\btransfer log\b", re.IGNORECASE), "record of conveyed ideas"),
    (re.compile(r"\btransfer\b", re.IGNORECASE), "record"),
)


def neutral(text: str) -> str:
    """``text`` with the software's name and the transfer's wording replaced by neutral words."""
    for pattern, replacement in NEUTRAL_WORDING:
        text = pattern.sub(replacement, text)
    return text


def _neutralise(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: neutral(value)
            if key in ("description", "summary", "title") and isinstance(value, str)
            else _neutralise(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_neutralise(item) for item in node]
    return node


def docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and docs: open while ``DEBUG`` is on (local work), else for accounts only.

    A signed-in browser session or an account's API token; participants and visitors are
    refused (the docs page sends them to the sign-in page, the schema answers 401 JSON).
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.DEBUG or _account_calls(request):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "sign in to read the API schema"}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


def _account_calls(request: HttpRequest) -> bool:
    from tracktwo.accounts.auth import caller_for_token, caller_from_session

    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        who = caller_for_token(header[7:])
    else:
        who = caller_from_session(request)
    return who is not None and who.kind == "user"


class NeutralAPI(NinjaAPI):
    """django-ninja with a neutral schema (see :func:`neutral`) and short operation ids.

    The schema is built once per path prefix and process, at its first request: the routes
    are fixed once the routers are added, and a build walks every operation's models (0.3 to
    0.4 s, at every ``openapi.json`` request before). It is shared: not to be changed."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        built: dict[str, Any] = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in built:
            schema = super().get_openapi_schema(path_prefix=path_prefix)
            schema.update(_neutralise(dict(schema)))
            built[path_prefix] = schema
        return built[path_prefix]


api = NeutralAPI(
    title="Dialogue API",
    version="1",
    description="JSON interface of this dialogue site. Sign in (or send an account's API "
    "token) to read it.",
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files ("ninja" is an installed app), never a
    # CDN; no call to the public validator.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=docs_guard,
)
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
api.add_router("/", workers_router)


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
    if isinstance(exc, RequestDataTooBig):  # a body without a length that grew too large
        return _detail(request, "the request body is too large", 413)
    if isinstance(exc, ValidationError):
        return _detail(request, " ".join(exc.messages) or "Invalid request", 400)
    if outage.is_outage(exc):  # the database or Redis is down or restarting
        response = _detail(request, str(outage.MESSAGE), 503)
        response["Retry-After"] = str(outage.RETRY_AFTER)
        return response
    raise exc  # a real fault: Django logs it (redacted) and answers 500 JSON
