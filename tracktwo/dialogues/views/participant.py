"""Participants' pages: join, accept the ground rules, vote, write, see oneself, results.

Mobile first and usable without JavaScript: every action is a plain form POST (CSRF
checked) followed by a redirect. The invitation token leaves the address bar at once:
``/join/<token>`` keeps it in the session and redirects to ``/join``, so it is in no
history entry, log line or Referer. Every page carries the quick exit and a neutral title.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.consent.queries import consent_terms
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.actions.invitations import INVITATION_PREFIX
from tracktwo.dialogues.forms import (
    AcceptRulesForm,
    JoinForm,
    RecoverForm,
    StatementForm,
    VoteForm,
    WithdrawForm,
)
from tracktwo.dialogues.models import Dialogue, Invitation, Participant, Statement
from tracktwo.dialogues.queries import invitations as outstanding
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.dialogues.queries import translations as translated
from tracktwo.dialogues.views.common import (
    bad_request,
    participant_page,
    session_participant,
    show_error,
    sign_in_participant,
)
from tracktwo.insight import presentation
from tracktwo.insight import service as live
from tracktwo.practice.errors import (
    DialogueError,
    GroundRulesNotAccepted,
    InvitationExpired,
    InvitationRevoked,
    InvitationUsed,
    NotFound,
    StatementNotAccepted,
)
from tracktwo.practice.formats import Confidentiality, NoticeKind, ParticipantRole, Phase
from tracktwo.safety.crypto import token_digest
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.ratelimit import check, ratelimit

JOIN_TOKEN_KEY = "tracktwo.join_token"  # noqa: S105 - a session key name
MAX_TOKEN_CHARS = 200


def current_phase(dialogue: Dialogue) -> Phase | None:
    """The phase the dialogue's latest session is in (from ``dialogue.phases``), if any."""
    return meetings.phase_of(dialogue, reading.current_session(dialogue))


def next_for(participant: Participant) -> Any:
    """The statement to vote on next: first the held ideas, put to a full vote once critique
    opens; then by routing priority."""
    held = meetings.held_to_weigh(participant, reading.current_session(participant.dialogue))
    if not held:
        return live.next_statement_for(participant)
    held[0].remaining = len(held) + len(reading.unvoted_statement_ids(participant))  # type: ignore[attr-defined]
    return held[0]


def page(participant: Participant, **extra: Any) -> dict[str, Any]:
    """The context every participant page shares: quick exit, the dialogue, the phase, and
    the meeting they are in with its regime (shown on every page of that meeting)."""
    dialogue = participant.dialogue
    box = box_for(dialogue.initiative_id)
    session = meetings.meeting_for(participant, box)
    sides = reading.party_names(dialogue.initiative_id, box) if session else {}
    latest = reading.current_session(dialogue)
    return {
        "quick_exit": True,
        "dialogue": reading.dialogue_view(dialogue, box),
        "participant": participant,
        "is_observer": participant.role != ParticipantRole.PARTICIPANT,
        "phase": meetings.phase_of(dialogue, latest, box),
        "meeting": meetings.meeting_view(session, sides) if session else None,
        "critique_held": phase_rules.critique_held(dialogue, latest),
        "votes_taken": bool(phase_rules.allowed_votes(dialogue, latest))
        and not phase_rules.round_closed(latest),
        **extra,
    }


# -- joining ----------------------------------------------------------------------------


@require_GET
@ratelimit("join")
def join_link(request: HttpRequest, token: str) -> HttpResponse:
    """Take the token out of the address: keep it in the session, go to ``/join``."""
    request.session[JOIN_TOKEN_KEY] = token[:MAX_TOKEN_CHARS]
    return redirect("dialogues:join")


def _invitation(token: str | None) -> tuple[Invitation | None, str]:
    """The invitation and its state: ``open``, ``missing``, ``unknown``, ``used``, ``revoked``,
    ``expired``."""
    if not token:
        return None, "missing"
    if not token.startswith(INVITATION_PREFIX):
        return None, "unknown"
    invitation = (
        Invitation.objects.select_related("dialogue", "dialogue__initiative")
        .filter(token_digest=token_digest(token), dialogue__purged_at__isnull=True)
        .first()
    )
    if invitation is None:
        return None, "unknown"
    return invitation, outstanding.state_of(invitation)


INVALID_STATUS = {"missing": 400, "unknown": 404, "used": 410, "revoked": 410, "expired": 410}


def _join_context(dialogue: Dialogue, form: JoinForm) -> dict[str, Any]:
    return {
        "quick_exit": True,
        "dialogue": reading.dialogue_view(dialogue),
        "chatham_house": dialogue.confidentiality == Confidentiality.CHATHAM_HOUSE,
        "consent_terms": consent_terms(dialogue),
        "form": form,
    }


@require_http_methods(["GET", "POST"])
@ratelimit("join", methods=("POST",))
def join(request: HttpRequest) -> HttpResponse:
    """Choose a handle and accept the ground rules; then the recovery code, shown once."""
    token = request.session.get(JOIN_TOKEN_KEY)
    invitation, state = _invitation(token)
    if invitation is None or state != "open":
        context = {"quick_exit": True, "state": state}
        return render(request, "dialogues/join_invalid.html", context, status=INVALID_STATUS[state])
    dialogue = invitation.dialogue
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            joined = actions.join(
                str(token),
                form.cleaned_data["handle"],
                form.cleaned_data["accept"] is True,
                gender=form.cleaned_data["gender"],
                region=form.cleaned_data["region"],
                languages=form.cleaned_data["languages"],
            )
        except (InvitationUsed, InvitationRevoked, InvitationExpired):
            invitation.refresh_from_db()
            context = {"quick_exit": True, "state": outstanding.state_of(invitation)}
            return render(request, "dialogues/join_invalid.html", context, status=410)
        except GroundRulesNotAccepted:
            form.add_error("accept", _("Accept the ground rules to take part."))
        except DialogueError as error:
            show_error(form, error)
        else:
            request.session.pop(JOIN_TOKEN_KEY, None)
            sign_in_participant(request, joined.participant)
            context = page(
                joined.participant,
                handle=reading.own_handle(joined.participant),
                recovery_code=joined.recovery_code,
                recovered=False,
            )
            return render(request, "dialogues/welcome.html", context, status=201)
    return render(request, "dialogues/join.html", _join_context(dialogue, form))


@require_http_methods(["GET", "POST"])
@ratelimit("join", methods=("POST",))
def recover(request: HttpRequest) -> HttpResponse:
    """A lost phone: the dialogue number, the handle and the recovery code give a new session."""
    form = RecoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        dialogue = Dialogue.objects.filter(
            pk=form.cleaned_data["dialogue"], purged_at__isnull=True
        ).first()
        try:
            if dialogue is None:
                raise NotFound("no such participant")
            joined = actions.recover(
                dialogue, form.cleaned_data["handle"], form.cleaned_data["code"]
            )
        except DialogueError:
            form.add_error(
                None,
                _("No participant with that handle and recovery code in that dialogue."),
            )
        else:
            sign_in_participant(request, joined.participant)
            context = page(
                joined.participant,
                handle=reading.own_handle(joined.participant),
                recovery_code=joined.recovery_code,
                recovered=True,
            )
            return render(request, "dialogues/welcome.html", context)
    current = session_participant(request)
    context = {"quick_exit": True, "form": form, "current": current}
    return render(request, "dialogues/recover.html", context)


@require_http_methods(["GET", "POST"])
@participant_page(rules=False)
def rules(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The current ground rules, to accept again after the facilitator changed them."""
    dialogue = participant.dialogue
    form = AcceptRulesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["accept"]:
            try:
                actions.accept_ground_rules(participant, dialogue.ground_rules_version)
            except DialogueError as error:
                show_error(form, error)
            else:
                return redirect("dialogues:vote", dialogue_id=dialogue.pk)
        else:
            form.add_error("accept", _("Accept the ground rules to take part."))
    accepted = participant.ground_rules_version_accepted >= dialogue.ground_rules_version
    context = page(
        participant,
        form=form,
        accepted=accepted,
        chatham_house=dialogue.confidentiality == Confidentiality.CHATHAM_HOUSE,
    )
    return render(request, "dialogues/rules.html", context)


# -- voting and writing -----------------------------------------------------------------


@require_GET
@participant_page()
def home(request: HttpRequest, participant: Participant) -> HttpResponse:
    return redirect("dialogues:vote", dialogue_id=participant.dialogue_id)


@require_http_methods(["GET", "POST"])
@participant_page()
def vote(request: HttpRequest, participant: Participant) -> HttpResponse:
    """One statement at a time and three buttons; a plain form, then the next statement."""
    dialogue = participant.dialogue
    if request.method == "POST":
        check(request, "vote", lambda _request: f"participant:{participant.pk}")
        form = VoteForm(request.POST)
        if not form.is_valid():
            return bad_request(request)
        try:
            actions.cast_vote(participant, form.cleaned_data["statement"], form.value())
        except StatementNotAccepted:
            messages.info(request, _("That statement is no longer open for voting."))
        except DialogueError as error:
            messages.error(request, error.message)
        return redirect("dialogues:vote", dialogue_id=dialogue.pk)
    statement = None
    if participant.role == ParticipantRole.PARTICIPANT:
        statement = next_for(participant)
    shown = None
    if statement is not None:
        shown = translated.reading(statement, get_language())
    text = shown.text if shown else ""
    remaining = getattr(statement, "remaining", 0)
    context = page(
        participant, statement=statement, text=text, shown=shown, remaining=remaining, tab="vote"
    )
    return render(request, "dialogues/vote.html", context)


@require_http_methods(["GET", "POST"])
@participant_page()
def write(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Write a statement; held for moderation when the dialogue asks (and the page says so)."""
    dialogue = participant.dialogue
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = actions.write_statement(
                dialogue,
                form.cleaned_data["text"],
                participant=participant,
                language=translated.base_language(get_language()),
            )
        except DialogueError as error:
            show_error(form, error)
        else:
            if statement.open_for_voting:
                messages.success(request, _("Thank you. Your statement is open for voting."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. A facilitator will look at your statement before others "
                        "vote on it."
                    ),
                )
            return redirect("dialogues:write", dialogue_id=dialogue.pk)
    return render(request, "dialogues/write.html", page(participant, form=form, tab="write"))


# -- oneself ----------------------------------------------------------------------------


def own_statements(participant: Participant) -> list[dict[str, Any]]:
    box = box_for(participant.dialogue.initiative_id)
    rows = Statement.objects.filter(author_participant=participant, deleted_at__isnull=True)
    return [
        {
            "id": s.pk,
            "text": s.text.read(box),
            "moderation": s.moderation,
            "moderation_label": s.get_moderation_display(),
            "redacted": s.redacted,
        }
        for s in rows.order_by("-id")
    ]


@require_GET
@participant_page()
def me(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Where the participant stands (their own dot only), their statements and notices."""
    position = live.own_position(participant)
    opinion_map, summary = presentation.participant_map(position)
    notices = reading.notices_for(participant)
    context = page(
        participant,
        handle=reading.own_handle(participant),
        statements=own_statements(participant),
        notices=[
            {"label": NoticeKind(n.kind).label, "body": n.body, "read": n.read} for n in notices
        ],
        unread_notices=any(not n.read for n in notices),
        opinion_map=opinion_map,
        position_summary=summary,
        map_legend=presentation.legend(position.groups) if opinion_map else [],
        tab="me",
    )
    return render(request, "dialogues/me.html", context)


@require_POST
@participant_page(rules=False)
def read_notices(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Mark the participant's notices read (a button on their own page)."""
    actions.mark_notices_read(participant)
    return redirect("dialogues:me", dialogue_id=participant.dialogue_id)


@require_POST
@participant_page(rules=False)
def delete_statement(request: HttpRequest, participant: Participant, statement_id: int) -> Any:
    try:
        actions.delete_own_statement(participant, statement_id)
    except DialogueError:
        messages.error(request, _("You have no such statement."))
    else:
        messages.success(request, _("Your statement is withdrawn."))
    return redirect("dialogues:me", dialogue_id=participant.dialogue_id)


@require_http_methods(["GET", "POST"])
@participant_page(rules=False)
def withdraw(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Leave the dialogue: the session ends and the recovery code stops working."""
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.withdraw(
            participant, remove_contributions=form.cleaned_data["remove_contributions"]
        )
        request.session.flush()
        return render(request, "dialogues/withdrawn.html", {"quick_exit": True})
    return render(request, "dialogues/withdraw.html", page(participant, form=form))


@require_GET
@participant_page()
def results(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The group's results, once the facilitator shares them (small cells suppressed)."""
    dialogue = participant.dialogue
    if not dialogue.results_shared:
        context = page(participant, tab="results")
        return render(request, "dialogues/results_hidden.html", context, status=403)
    shared = live.dialogue_insight(dialogue, "participant")
    context = page(participant, analysis=presentation.sections(shared), tab="results")
    return render(request, "dialogues/results.html", context)
