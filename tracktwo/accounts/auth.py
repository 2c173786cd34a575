"""Who is calling: bearer tokens and browser sessions, resolved to a :class:`Caller`.

JSON API (django-ninja)::

    from tracktwo.accounts.auth import API_AUTH, BEARER, caller

    @router.post("/dialogues/{id}/votes", auth=API_AUTH)   # bearer token or browser session
    def vote(request, id: int, body: VoteIn):
        who = caller(request)              # Caller(kind="participant", participant=...)

``BEARER`` accepts ``Authorization: Bearer <token>`` only; ``API_AUTH`` also a
signed-in browser session (CSRF-checked). Unknown, revoked or withdrawn tokens
get 401 ``{"detail": "Unauthorized"}``.

Pages: :func:`signed_in_required` (conveners and facilitators) and
:func:`caller_from_session` (also participants, whose session holds
``PARTICIPANT_SESSION_KEY``).

Speed: the vote hot path comes through :func:`caller_for_token`, which makes one
query on a unique index (plus, at most once a minute per token, an UPDATE of
``last_used_at``). There is deliberately no in-process cache, so a revoked token
or a withdrawn participant is refused on the very next request in every worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, Literal, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from tracktwo.accounts.models import ApiToken, User
from tracktwo.safety.crypto import token_digest

USER_TOKEN_PREFIX = "t2u_"  # noqa: S105 - a prefix, not a secret
PARTICIPANT_TOKEN_PREFIX = "t2p_"  # noqa: S105
MAX_TOKEN_LENGTH = 128
LAST_USED_RESOLUTION = timedelta(seconds=60)
# Participant web sessions store the Participant's primary key under this session key.
PARTICIPANT_SESSION_KEY = "tracktwo.participant"

F = TypeVar("F", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Caller:
    """The authenticated party of a request: an account holder or a dialogue participant."""

    kind: Literal["user", "participant"]
    user: User | None = None
    participant: Any = None  # tracktwo.dialogues.models.Participant
    token_id: int | None = None  # the ApiToken used, for user bearer tokens

    @property
    def is_user(self) -> bool:
        return self.kind == "user"

    @property
    def is_participant(self) -> bool:
        return self.kind == "participant"


def _participant_model() -> Any:
    try:
        return apps.get_model("dialogues", "Participant")
    except LookupError:
        return None


def caller_for_token(raw: str) -> Caller | None:
    """The caller a raw bearer token stands for, or None (unknown, revoked, withdrawn)."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    if raw.startswith(USER_TOKEN_PREFIX):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return Caller(kind="user", user=token.user, token_id=token.pk)
    if raw.startswith(PARTICIPANT_TOKEN_PREFIX):
        participant_model = _participant_model()
        if participant_model is None:
            return None
        participant = participant_model.objects.filter(
            token_digest=token_digest(raw), withdrawn_at__isnull=True
        ).first()
        return None if participant is None else Caller(kind="participant", participant=participant)
    return None


def caller_from_session(request: HttpRequest) -> Caller | None:
    """The caller of a browser session: a signed-in account, else a joined participant."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if settings.TRACKTWO_TOTP_REQUIRED and not totp_policy_met(request):
            return None
        return Caller(kind="user", user=cast(User, user))
    session = getattr(request, "session", None)
    participant_pk = session.get(PARTICIPANT_SESSION_KEY) if session is not None else None
    if participant_pk is None:
        return None
    participant_model = _participant_model()
    if participant_model is None:
        return None
    participant = participant_model.objects.filter(
        pk=participant_pk, withdrawn_at__isnull=True
    ).first()
    return None if participant is None else Caller(kind="participant", participant=participant)


# Set in the session once a signed-in user is known to have a confirmed TOTP device.
SESSION_TOTP_OK = "tracktwo.totp_ok"


def totp_policy_met(request: HttpRequest) -> bool:
    """Whether this signed-in session satisfies the TOTP policy (always, when not required)."""
    if not settings.TRACKTWO_TOTP_REQUIRED:
        return True
    if request.session.get(SESSION_TOTP_OK):
        return True
    from tracktwo.accounts.models import TotpDevice

    user = cast(User, request.user)
    if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        request.session[SESSION_TOTP_OK] = True
        return True
    return False


class BearerAuth(HttpBearer):
    """``Authorization: Bearer t2u_...`` (account) or ``t2p_...`` (participant)."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return caller_for_token(token)


class SessionAuth(APIKeyCookie):
    """A browser session (the pages' own fetches); CSRF-checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.COOKIES.get(self.param_name):
            return None  # no session: answer 401, not a CSRF failure
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        if not key:
            return None
        return caller_from_session(request)


BEARER = BearerAuth()
API_AUTH = [BEARER, SessionAuth()]


def caller(request: HttpRequest) -> Caller:
    """The :class:`Caller` of a route protected with ``BEARER`` or ``API_AUTH``."""
    found = getattr(request, "auth", None)
    if not isinstance(found, Caller):
        raise RuntimeError("caller() needs a route declared with auth=BEARER or auth=API_AUTH")
    return found


def signed_in_required(view: F) -> F:
    """A page for signed-in account holders (the TOTP policy is enforced by middleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return cast(F, wrapper)
