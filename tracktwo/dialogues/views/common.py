"""What the dialogue pages share: who is asking, and which dialogue they may see.

Pages are in :mod:`tracktwo.dialogues.views.participant` (people who joined with an
invitation, identified by ``PARTICIPANT_SESSION_KEY`` in their session) and
:mod:`tracktwo.dialogues.views.facilitator`, ``views_moderation`` and ``views_dashboard``
(signed-in conveners, facilitators and observers, checked with
:mod:`tracktwo.initiatives.permissions` on every request); ``views_initiative`` and
``views_members`` are the conveners' pages about a whole initiative.

Denials follow one rule: someone who may not know a dialogue exists gets the neutral 404
(a secret meeting stays secret, and liaisons see nothing here); someone who may look at
it but not do what they asked gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, TypeVar, cast

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError

F = TypeVar("F", bound=Callable[..., HttpResponse])


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def show_error(form: forms.Form, error: DialogueError) -> None:
    """Put an action's error next to the field it names (or on top of the form)."""
    field = error.field
    if field is not None:
        field = field.split("[", 1)[0]
    form.add_error(field if field in form.fields else None, error.message)


# -- participants -----------------------------------------------------------------------


# The participant's token digest at sign-in: recovering on another device rotates the token,
# which ends every older browser session of that participant on these pages.
PARTICIPANT_TOKEN_SESSION_KEY = "tracktwo.participant_token"  # noqa: S105 - a key name


def session_participant(request: HttpRequest) -> Participant | None:
    """The active participant this browser session joined as, with dialogue and initiative."""
    pk = request.session.get(PARTICIPANT_SESSION_KEY)
    if pk is None:
        return None
    rows = Participant.objects.select_related("dialogue", "dialogue__initiative").filter(
        pk=pk, withdrawn_at__isnull=True, dialogue__purged_at__isnull=True
    )
    if PARTICIPANT_TOKEN_SESSION_KEY in request.session:  # always, for sessions made here
        rows = rows.filter(token_digest=request.session[PARTICIPANT_TOKEN_SESSION_KEY])
    return rows.first()


def sign_in_participant(request: HttpRequest, participant: Participant) -> None:
    """Make this browser session the participant's (a fresh session id; the raw token is not
    kept, only the digest that ties the session to the participant's current token)."""
    request.session.cycle_key()
    request.session[PARTICIPANT_SESSION_KEY] = participant.pk
    request.session[PARTICIPANT_TOKEN_SESSION_KEY] = participant.token_digest


def participant_page(*, rules: bool = True) -> Callable[[F], F]:
    """A page of a participant in their own dialogue: ``view(request, participant, ...)``.

    No participant session: to the recovery page. Another dialogue's participant: 404.
    With ``rules``, a participant who has not accepted the current ground rules is sent
    to accept them first.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, dialogue_id: int, *args: Any, **kwargs: Any) -> Any:
            participant = session_participant(request)
            if participant is None:
                return redirect(reverse("dialogues:recover"))
            if participant.dialogue_id != dialogue_id:
                return not_found(request)
            dialogue = participant.dialogue
            if rules and participant.ground_rules_version_accepted < dialogue.ground_rules_version:
                return redirect("dialogues:rules", dialogue_id=dialogue.pk)
            if rules and participant.consent_version_accepted < dialogue.consent_version:
                return redirect("consent:consent", dialogue_id=dialogue.pk)
            return view(request, participant, *args, **kwargs)

        return cast(F, wrapper)

    return decorator


# -- conveners, facilitators, observers --------------------------------------------------

Need = Literal["observe", "facilitate"]


def load_dialogue(request: HttpRequest, dialogue_id: int, need: Need) -> Dialogue | HttpResponse:
    """The dialogue if the signed-in user may ``need`` it, else the response to send."""
    dialogue = (
        Dialogue.objects.select_related("initiative")
        .filter(pk=dialogue_id, purged_at__isnull=True)
        .first()
    )
    if dialogue is None or not permissions.can_observe(request.user, dialogue):
        return not_found(request)
    if need == "facilitate" and not permissions.can_facilitate(request.user, dialogue):
        return forbidden(request)
    return dialogue


def dialogue_page(need: Need) -> Callable[[F], F]:
    """A page about one dialogue for signed-in members: ``view(request, dialogue, ...)``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, dialogue_id: int, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            found = load_dialogue(request, dialogue_id, need)
            if isinstance(found, HttpResponse):
                return found
            return view(request, found, *args, **kwargs)

        return cast(F, wrapper)

    return decorator
