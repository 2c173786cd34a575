"""Keep the list of a user's web sessions in step with sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from tracktwo.accounts import actions


@receiver(user_logged_in, dispatch_uid="tracktwo.accounts.record_session")
def _record(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    if session.session_key:
        agent = request.headers.get("User-Agent", "") if request is not None else ""
        actions.record_session(user, session.session_key, agent)


@receiver(user_logged_out, dispatch_uid="tracktwo.accounts.forget_session")
def _forget(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        actions.forget_session(session.session_key)
