"""A plain participant's vote answered at the WSGI entry, before Django's handler.

The vote route (:mod:`tracktwo.dialogues.api.vote_route`) already answers a plain vote in
one rate-limit hit and one ``INSERT ... SELECT``; what a vote still paid around it was
Django's handler (the request object, URL resolution, the response object) and the API
lane's eight middleware classes, which for a 201 vote only add the same headers every
time. :class:`VoteEntry` sits in front of the API lane (:class:`tracktwo.site.api_lane.Lanes`)
and answers exactly the case the vote route answers itself -- ``POST
/api/v1/dialogues/{id}/votes`` with a participant's bearer token, a canonical id and a body
``{"statement": <id>, "vote": "agree"|"disagree"|"pass"}`` -- with the same checks, in the
same order:

- the token parsed as django-ninja's ``HttpBearer`` does, the id and body as the vote route
  parses them (:func:`~tracktwo.dialogues.api.vote_route.canonical_id`,
  :func:`~tracktwo.dialogues.api.vote_route.plain_vote`);
- the participant's rate limit (:func:`~tracktwo.dialogues.api.voting.count_vote`), then the
  one ``INSERT ... SELECT`` with every check in it
  (:func:`~tracktwo.dialogues.api.voting.fast_vote`), committed before the answer;
- the same ``201`` body, and the same headers in the same order: they are the API lane's
  own, taken once per language and scheme from the lane's real middleware chain run on a
  201 vote answer (:meth:`VoteEntry.head_for`), with only ``Content-Length`` set per answer;
- the database connection's lifetime as in any request: Django's ``request_started`` and
  ``request_finished`` signals are sent around the vote (``close_old_connections``: a
  connection in error is checked or closed, ``CONN_MAX_AGE`` honoured, the health check
  run again before the request's first query).

Everything else goes to the API lane unchanged: any other method, path, token or body; a
request one of the lane's middleware would answer or treat differently (a body over
:data:`MAX_BODY` bytes, a ``Host`` not allowed, a cross-site request, a plain-HTTP request
when HTTPS is required, any cookie -- the language cookie changes ``Content-Language``);
and every configuration this module was not written against: the entry turns itself off
unless the lane's middleware list is exactly :data:`KNOWN_LANE` and the settings it reads
are plain (:meth:`VoteEntry.usable`), so a middleware added later is never skipped
silently. A vote the statement refuses (rowcount 0) and any error on the way (rate limit,
Redis or the database unreachable) are handed to the lane too, marked in the WSGI
environment (:data:`TRIED`, :data:`ERROR`; no header can set such a key): the vote route
then answers exactly as before -- the precise 401/403/404/409 from the ordinary path,
counted once, or the API's own 429/503 -- through the whole middleware.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished, request_started, setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port, validate_host

from tracktwo.dialogues.api import vote_route, voting
from tracktwo.dialogues.api.schemas import VOTE_VALUES
from tracktwo.site import api_lane, lane_locale

logger = logging.getLogger(__name__)

# The API lane's middleware this module was written against; any other list turns it off.
KNOWN_LANE = (
    "tracktwo.safety.middleware.BodySizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    api_lane.LANE_CSP,
    api_lane.LANE_LOCALE,
    "django.middleware.common.CommonMiddleware",
    "tracktwo.safety.middleware.SameOriginFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracktwo.safety.middleware.SafetyMiddleware",
)

# A plain vote's body is about 40 bytes; anything longer goes the ordinary way.
MAX_BODY = 256
_PATH = re.compile(r"/api/v1/dialogues/([^/]+)/votes")

# Keys the entry sets in the WSGI environment of a request it hands over (read by the vote
# route). A client cannot set them: its headers arrive as HTTP_* keys.
TRIED = vote_route.ENTRY_TRIED  # counted and tried: refused by the statement
ERROR = vote_route.ENTRY_ERROR  # the exception the rate limit or the database raised

CREATED = "201 Created"
LENGTH = "Content-Length"

CSP_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")

_generation = 0  # bumped on every settings change (tests): the entry reads them again


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


class _HeadProbe(api_lane.ApiLaneHandler):
    """The API lane's middleware around a fixed 201 vote answer instead of URL resolution."""

    def _get_response(self, request: HttpRequest) -> HttpResponseBase:
        return voting.voted(1, "agree")


class VoteEntry:
    """The WSGI entry for plain votes; everything else to ``lane`` (module docstring)."""

    def __init__(self, lane: api_lane.WSGIApp) -> None:
        self.lane = lane
        self.generation = -1
        self.enabled = False
        self.probe: _HeadProbe | None = None
        self.heads: dict[tuple[str, bool], list[tuple[str, str]]] = {}
        self.hosts: dict[str, bool] = {}
        self._refresh()  # at start, with the application

    def usable(self) -> bool:
        """Whether the entry applies to this configuration (else every call goes the lane)."""
        lane = tuple(api_lane.api_lane_middleware(settings.MIDDLEWARE))
        csp = [getattr(settings, name, None) or {} for name in CSP_SETTINGS]
        upload = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return (
            lane == KNOWN_LANE
            and not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
            and (upload is None or upload >= MAX_BODY)  # BodySizeMiddleware's 413
            and not settings.DISALLOWED_USER_AGENTS
            and not settings.PREPEND_WWW
            and not settings.USE_X_FORWARDED_HOST
            and not any(config.get("EXCLUDE_URL_PREFIXES") for config in csp)
        )

    def _refresh(self) -> None:
        self.generation = _generation
        self.enabled = self.usable()
        self.probe = _HeadProbe() if self.enabled else None
        self.heads, self.hosts = {}, {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.generation != _generation:
            self._refresh()
        vote = self.plain(environ) if self.enabled else None
        if vote is None:
            return self.lane(environ, start_response)
        token, dialogue_id, statement, choice, body = vote
        head = self.head_for(environ)
        inserted = False
        if head is not None:
            request_started.send(sender=self.__class__, environ=environ)
            try:
                voting.count_vote(token)
                inserted = voting.fast_vote(
                    token.digest, dialogue_id, statement, VOTE_VALUES[choice]
                )
                environ[TRIED] = True
            except Exception as exc:  # answered by the vote route, as its own errors are
                environ[ERROR] = exc
            finally:
                request_finished.send(sender=self.__class__)
        if inserted:
            answer = json.dumps({"statement": statement, "vote": choice}).encode()
            size = str(len(answer))
            start_response(CREATED, [(n, size if n == LENGTH else v) for n, v in head or ()])
            return [answer]
        environ["wsgi.input"] = io.BytesIO(body)  # read here: the lane reads it again
        return self.lane(environ, start_response)

    def plain(
        self, environ: dict[str, Any]
    ) -> tuple[voting.ParticipantToken, int, int, str, bytes] | None:
        """The vote the entry answers itself, or None for everything the lane answers."""
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("SCRIPT_NAME"):
            return None
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        dialogue_id = vote_route.canonical_id(match[1]) if match else None
        if dialogue_id is None or "HTTP_COOKIE" in environ or not self.allowed(environ):
            return None
        token = _bearer(environ.get("HTTP_AUTHORIZATION", ""))
        length = environ.get("CONTENT_LENGTH", "")
        if token is None or not (length.isascii() and length.isdigit()):
            return None
        if not 0 < int(length) <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(int(length))
        vote = vote_route.plain_vote(body)
        if vote is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return None
        return token, dialogue_id, vote[0], vote[1], body

    def allowed(self, environ: dict[str, Any]) -> bool:
        """No middleware of the lane would answer or mark this request differently."""
        if environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":  # SameOriginFormMiddleware
            return False
        if settings.SECURE_SSL_REDIRECT and not _secure(environ):  # SecurityMiddleware
            return False
        host = environ.get("HTTP_HOST")  # CommonMiddleware: Django's host validation
        if host is None:
            return False
        known = self.hosts.get(host)
        if known is None:
            allowed = settings.ALLOWED_HOSTS
            if settings.DEBUG and not allowed:
                allowed = [".localhost", "127.0.0.1", "[::1]"]
            domain, _port = split_domain_port(host)
            known = bool(domain) and validate_host(domain, allowed)
            if len(self.hosts) < 256:  # a client chooses the Host header: keep a few
                self.hosts[host] = known
        return known

    def head_for(self, environ: dict[str, Any]) -> list[tuple[str, str]] | None:
        """The lane's headers for a 201 vote answer to this request (``Content-Length`` to
        be set), kept per language and scheme; None, and the entry off, if the lane's
        middleware no longer answers a vote as this module expects."""
        language = lane_locale.language_for(None, environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        key = (language, _secure(environ))
        head = self.heads.get(key)
        if head is None:
            probe_environ = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
            response = self.probe.get_response(WSGIRequest(probe_environ)) if self.probe else None
            head = list(response.items()) if response is not None else []
            if (
                response is None
                or response.status_code != 201
                or response.cookies
                or LENGTH not in dict(head)
            ):
                logger.warning("the API lane no longer answers a vote as vote_entry expects: off")
                self.enabled = False  # reviewed code only: every call goes the lane
                return None
            self.heads[key] = head
        return head


def _bearer(header: str) -> voting.ParticipantToken | None:
    """The participant token of ``Authorization``, split as django-ninja's ``HttpBearer``."""
    parts = header.split(" ")
    if not header or parts[0].lower() != "bearer":
        return None
    return voting.participant_token(" ".join(parts[1:]))


def _secure(environ: dict[str, Any]) -> bool:
    """``HttpRequest.is_secure()`` for this environment."""
    proxied = settings.SECURE_PROXY_SSL_HEADER
    if proxied:
        header, secure_value = proxied
        value = environ.get(header)
        if value is not None:
            return bool(value.split(",", 1)[0].strip() == secure_value)
    return bool(environ.get("wsgi.url_scheme") == "https")
