"""Sign-in policy for every request of a signed-in account holder.

- Where a second factor is required (``TRACKTWO_TOTP_REQUIRED``, always in
  production), a signed-in user without a confirmed TOTP device is sent to the
  enrolment page before anything else; only that page, sign-out, quick exit,
  the language switch and static files stay reachable. API calls made with such
  a session are refused by :class:`tracktwo.accounts.auth.SessionAuth`.
- The user's session list (``UserSession.last_seen_at``) is refreshed about once
  a minute, never with an IP address.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tracktwo.accounts import actions
from tracktwo.accounts.auth import totp_policy_met

SESSION_SEEN = "tracktwo.seen"
SEEN_RESOLUTION_SECONDS = 60


class SignInPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _reachable_without_totp(self, path: str) -> bool:
        open_prefixes = (
            reverse("accounts:totp"),
            reverse("accounts:sign-out"),
            reverse("exit"),
            "/i18n/",
            "/api/",
            "/healthz",
            settings.STATIC_URL,
        )
        return path.startswith(open_prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if not totp_policy_met(request) and not self._reachable_without_totp(request.path):
                return redirect("accounts:totp")
            self._touch(request)
        return self.get_response(request)

    def _touch(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        seen = session.get(SESSION_SEEN)
        if isinstance(seen, int) and now - seen < SEEN_RESOLUTION_SECONDS:
            return
        if session.session_key:
            actions.touch_session(
                request.user,  # type: ignore[arg-type]
                session.session_key,
                request.headers.get("User-Agent", ""),
            )
        session[SESSION_SEEN] = now
