"""``POST /api/v1/dialogues/{id}/votes``, a valid participant's vote, without the API framework.

A live session sends a vote per participant every few seconds. The API route
(:func:`tracktwo.dialogues.api.voting.vote`) already records a valid vote in one
statement; what it still paid on every vote was django-ninja's work around it -- URL
resolution through every router of the API, authentication callbacks, pydantic
validation of the path and the body, a temporary response -- about a fifth of the
request's CPU. :func:`vote` is mounted in the root URLconf *before* ``/api/v1/``, at the
same path, and takes only the plainest case:

- ``POST`` with ``Authorization: Bearer <participant token>`` (parsed as django-ninja and
  :class:`~tracktwo.dialogues.api.voting.BearerAuth` parse it);
- the path's id written canonically (``[1-9][0-9]*``, at most ``MAX_ID``);
- a JSON body that is exactly ``{"statement": <id>, "vote": "agree"|"disagree"|"pass"}``
  (an ``int`` that is no ``bool``, within the ids' range; no other key).

For it, it does what the API route does: the participant's rate limit
(:func:`~tracktwo.dialogues.api.voting.count_vote`), then the one ``INSERT ... SELECT``
with every check in it (:func:`~tracktwo.dialogues.api.voting.fast_vote`), and answers the
same 201. An error on the way (rate limit, Redis or the database unreachable) is answered
by the API's own exception handler, as the route's would be. Everything else -- another
method, an account token, no token, a body django-ninja would coerce or refuse, a vote the
statement refuses -- is handed to the API route itself, which answers it exactly as before
(a vote refused by the statement is marked as counted and tried, so the rate limit counts
it once and the precise 401/403/404/409 comes from the ordinary path). The middleware, in
either lane, runs as for any request: this view sits below it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLResolver, get_resolver
from django.views.decorators.csrf import csrf_exempt

from tracktwo.dialogues.api import voting
from tracktwo.dialogues.api.schemas import MAX_ID, VOTE_VALUES

PATH = "api/v1/dialogues/<str:id>/votes"

# Set in the WSGI environment by tracktwo.site.vote_entry on a plain vote it handed over:
# counted and tried (refused by the statement), or the error counting or trying it raised.
ENTRY_TRIED = "tracktwo.vote_entry.tried"
ENTRY_ERROR = "tracktwo.vote_entry.error"  # ninja's "{id}": any segment, validated later
API_NAMESPACE = "api"  # tracktwo.site.api: NinjaAPI(urls_namespace=...)


@functools.cache
def api_route() -> Callable[..., HttpResponseBase]:
    """The API's own view of this path (django-ninja's), found under ``/api/v1/``."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == API_NAMESPACE:
            found: Callable[..., HttpResponseBase] = entry.resolve("api/v1/dialogues/1/votes").func
            return found
    raise LookupError("the JSON API is not in the URLconf")


def canonical_id(text: str) -> int | None:
    """``text`` as an id when written plainly (``[1-9][0-9]*``, in range), else None."""
    if not (text.isascii() and text.isdigit()) or text[0] == "0" or len(text) > 19:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def plain_vote(body: bytes) -> tuple[int, str] | None:
    """``(statement, choice)`` from ``{"statement": <id>, "vote": <choice>}``, else None."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.keys() != {"statement", "vote"}:
        return None
    statement, choice = data["statement"], data["vote"]
    if type(statement) is not int or not 1 <= statement <= MAX_ID or choice not in VOTE_VALUES:
        return None
    return statement, choice


def _bearer(request: HttpRequest) -> voting.ParticipantToken | None:
    """The participant token of ``Authorization``, split as django-ninja's ``HttpBearer``."""
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    parts = header.split(" ")
    if parts[0].lower() != "bearer":
        return None
    return voting.participant_token(" ".join(parts[1:]))


@csrf_exempt  # as every API view: a bearer token is no ambient credential
def vote(request: HttpRequest, id: str) -> Any:
    """A plain vote in one statement; anything else to the API route (module docstring)."""
    if ENTRY_TRIED in request.META or ENTRY_ERROR in request.META:
        return _after_entry(request, id)
    found = _bearer(request) if request.method == "POST" else None
    dialogue_id = canonical_id(id) if found is not None else None
    plain = None
    if found is not None and dialogue_id is not None:
        try:
            plain = plain_vote(request.body)
        except Exception:  # a body too large or unreadable: the API route answers it
            plain = None
    if found is None or dialogue_id is None or plain is None:
        return api_route()(request, id=id)
    statement, choice = plain
    request.auth = found  # type: ignore[attr-defined]  # as django-ninja sets it
    try:
        voting.count_vote(found)
        if voting.fast_vote(found.digest, dialogue_id, statement, VOTE_VALUES[choice]):
            return voting.voted(statement, choice)
    except Exception as exc:  # answered as the API route's errors are
        from tracktwo.site.api import api

        return api.on_exception(request, exc)
    setattr(request, voting.TRIED, True)
    return api_route()(request, id=id)


def _after_entry(request: HttpRequest, id: str) -> Any:
    """A plain vote the WSGI entry (tracktwo.site.vote_entry) counted and tried: answered as
    this view answers the same outcome (the error by the API's handler, the refusal by the
    API route, counted once)."""
    request.auth = _bearer(request)  # type: ignore[attr-defined]  # as django-ninja sets it
    error = request.META.get(ENTRY_ERROR)
    if isinstance(error, Exception):
        from tracktwo.site.api import api

        return api.on_exception(request, error)
    setattr(request, voting.TRIED, True)
    return api_route()(request, id=id)
