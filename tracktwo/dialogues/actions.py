"""Every state change of the dialogues app, in one place for views and the API to import.

Each action is one transaction, checks the caller's permission itself, seals what is
confidential and writes an audit row where the action is sensitive. Errors are the
exceptions of :mod:`tracktwo.dialogues.errors`, each with the HTTP status the API maps
it to. This module holds sessions and phases, statements, moderation, votes and the back
channel. Setting up initiatives and dialogues (parties, members, ground rules) is in
:mod:`tracktwo.dialogues.setup`, invitations and participants in
:mod:`tracktwo.dialogues.invitations` (revoking one in :mod:`tracktwo.dialogues.outstanding`);
all are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues import permissions
from tracktwo.dialogues.errors import (
    Conflict,
    GroundRulesNotAccepted,
    InvalidInput,
    NotAllowed,
    NotFound,
    StatementNotAccepted,
)
from tracktwo.dialogues.formats import MemberRole, Moderation, NoticeKind, ParticipantRole, template
from tracktwo.dialogues.invitations import (
    Identity,
    Joined,
    accept_ground_rules,
    create_invitation,
    erase_identity,
    join,
    list_identities,
    participant_by_token,
    record_identity,
    recover,
    view_identity,
    withdraw,
)
from tracktwo.dialogues.models import (
    BackChannelMessage,
    Dialogue,
    Initiative,
    Membership,
    Notice,
    Participant,
    Party,
    Session,
    Statement,
    Vote,
)
from tracktwo.dialogues.outstanding import revoke_invitation
from tracktwo.dialogues.setup import (
    add_member,
    add_party,
    create_dialogue,
    create_initiative,
    get_dialogue,
    remove_member,
    share_results,
    update_dialogue,
    update_ground_rules,
    update_initiative,
)
from tracktwo.dialogues.validation import MAX_LONG_TEXT_CHARS, clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

__all__ = [
    "Identity",
    "Joined",
    "accept_ground_rules",
    "add_member",
    "add_party",
    "advance_phase",
    "cast_vote",
    "create_dialogue",
    "create_initiative",
    "create_invitation",
    "delete_own_statement",
    "erase_identity",
    "get_dialogue",
    "join",
    "list_identities",
    "moderate_statement",
    "participant_by_token",
    "record_identity",
    "recover",
    "remove_member",
    "revoke_invitation",
    "send_back_channel_message",
    "set_phase",
    "share_results",
    "start_session",
    "update_dialogue",
    "update_ground_rules",
    "update_initiative",
    "view_identity",
    "withdraw",
    "write_session_notes",
    "write_statement",
]

MAX_STATEMENT_CHARS = 1000
VOTE_VALUES = (-1, 0, 1)


# -- statements and votes ---------------------------------------------------------------


def _require_participant_in_good_standing(participant: Participant, dialogue: Dialogue) -> None:
    if not permissions.participant_may_act(participant, dialogue):
        raise NotAllowed(_("you are not taking part in this dialogue"))
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not vote or write statements"))
    if participant.ground_rules_version_accepted < dialogue.ground_rules_version:
        raise GroundRulesNotAccepted(_("accept the dialogue's current ground rules first"))


@transaction.atomic
def write_statement(
    dialogue: Dialogue,
    text: str,
    *,
    participant: Participant | None = None,
    user: User | None = None,
    is_meta: bool = False,
) -> Statement:
    """A new statement by a participant or a facilitator (exactly one of them).

    A facilitator's statement is a seed, accepted at once; a participant's waits for
    moderation when the dialogue requires it. 1-1000 characters.
    """
    if (participant is None) == (user is None):
        raise InvalidInput(_("a statement has exactly one author"), field="author")
    clean = clean_text(text, "text", max_chars=MAX_STATEMENT_CHARS, multiline=True)
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    statement = Statement(
        dialogue=dialogue,
        session=session,
        phase_index=session.phase_index if session else None,
        is_meta=bool(is_meta),
    )
    if user is not None:
        permissions.require(permissions.can_facilitate(user, dialogue), _("write seed statements"))
        statement.author_user = user
        statement.is_seed = True
        statement.moderation = Moderation.ACCEPTED
        statement.moderated_at = timezone.now()
    else:
        assert participant is not None
        _require_participant_in_good_standing(participant, dialogue)
        statement.author_participant = participant
        statement.is_meta = False
        if not dialogue.moderation_required:
            statement.moderation = Moderation.ACCEPTED
    statement.text.write(box_for_sealing(dialogue.initiative_id), clean)
    statement.save()
    return statement


@transaction.atomic
def moderate_statement(
    statement: Statement, state: str, by: User, *, redacted_text: str | None = None
) -> Statement:
    """Accept, reject or return to pending a statement; optionally redact its text.

    Redaction replaces the text (the original is not kept) and tells the author,
    privately, through a :class:`~tracktwo.dialogues.models.Notice`; so does a rejection.
    """
    dialogue = statement.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), _("moderate statements"))
    state = clean_choice(state, "state", Moderation.values)
    if statement.deleted_at is not None:
        raise Conflict(_("the statement was deleted by its author"))
    box = box_for_sealing(dialogue.initiative_id)
    fields = ["moderation", "moderated_at"]
    # A notice keeps only the words it is about (the new wording); the sentence around them
    # is written when the participant reads it, in their language (reading.notice_text).
    notices: list[tuple[str, str]] = []
    if redacted_text is not None:
        clean = clean_text(
            redacted_text, "redacted_text", max_chars=MAX_STATEMENT_CHARS, multiline=True
        )
        statement.text.write(box, clean)
        statement.redacted = True
        fields += ["text_sealed", "redacted"]
        notices.append((NoticeKind.STATEMENT_REDACTED, clean))
    if state == Moderation.REJECTED and statement.moderation != Moderation.REJECTED:
        notices.append((NoticeKind.STATEMENT_REJECTED, ""))
    statement.moderation = state
    statement.moderated_at = timezone.now()
    statement.save(update_fields=fields)
    if statement.author_participant_id is not None:
        for kind, body in notices:
            notice = Notice(
                participant=statement.author_participant, kind=kind, statement=statement
            )
            notice.body.write(box, body)
            notice.save()
    record(
        "statement.moderated",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="statement",
        target_id=statement.pk,
        details={"state": state, "redacted": redacted_text is not None},
    )
    return statement


@transaction.atomic
def delete_own_statement(participant: Participant, statement_id: int) -> Statement:
    """A participant withdraws one of their statements (votes on it stop counting)."""
    statement = Statement.objects.filter(
        pk=statement_id, author_participant=participant, deleted_at__isnull=True
    ).first()
    if statement is None:
        raise NotFound(_("you have no such statement"))
    if participant.withdrawn_at is not None:
        raise NotAllowed(_("you have withdrawn from this dialogue"))
    statement.deleted_at = timezone.now()
    statement.save(update_fields=["deleted_at"])
    return statement


@transaction.atomic
def cast_vote(participant: Participant, statement_id: int, value: int) -> Vote:
    """Record a vote (+1 agree, -1 disagree, 0 pass). Re-votes append; the last one counts.

    The hot path of a live session: one indexed look-up of the statement and one INSERT
    (the participant, with its dialogue, comes from :func:`participant_by_token`).
    """
    if type(value) is not int or value not in VOTE_VALUES:
        raise InvalidInput(_("must be 1 (agree), -1 (disagree) or 0 (pass)"), field="vote")
    _require_participant_in_good_standing(participant, participant.dialogue)
    rows = (
        Statement.objects.filter(pk=statement_id)
        .order_by()
        .values_list("dialogue_id", "moderation", "deleted_at")
    )
    row = next(iter(rows), None) if type(statement_id) is int else None
    if (
        row is None
        or row[0] != participant.dialogue_id
        or row[1] != Moderation.ACCEPTED
        or row[2] is not None
    ):
        raise StatementNotAccepted(
            _("statement %(id)s is not open for voting here") % {"id": statement_id}
        )
    return Vote.objects.create(
        dialogue_id=participant.dialogue_id,
        statement_id=statement_id,
        participant_id=participant.pk,
        value=value,
    )


# -- sessions and phases ----------------------------------------------------------------


@transaction.atomic
def start_session(dialogue: Dialogue, by: User, *, starts_at: datetime | None = None) -> Session:
    """A new meeting of the dialogue, at the first phase (a sustained dialogue continues at
    the Saunders stage its previous meeting reached)."""
    permissions.require(permissions.can_facilitate(by, dialogue), _("start sessions"))
    previous = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    session = Session(dialogue=dialogue, number=(previous.number + 1) if previous else 1)
    if template(dialogue.format).stages_are_saunders:
        session.phase_index = previous.phase_index if previous else 0
        session.saunders_stage = session.phase_index + 1
    box = box_for_sealing(dialogue.initiative_id)
    session.starts_at.write(box, starts_at.isoformat() if starts_at else None)
    session.notes.write(box, "")
    session.save()
    return session


def _move_to_phase(session: Session, index: int, by: User) -> Session:
    dialogue = session.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), _("run this session"))
    if not 0 <= index < len(dialogue.phases):
        raise InvalidInput(
            _("must be between 0 and %(last)d") % {"last": len(dialogue.phases) - 1}, field="phase"
        )
    session.phase_index = index
    fields = ["phase_index"]
    if template(dialogue.format).stages_are_saunders:
        session.saunders_stage = index + 1
        fields.append("saunders_stage")
    session.save(update_fields=fields)
    return session


@transaction.atomic
def advance_phase(session: Session, by: User) -> Session:
    """Move the session to the next phase of its agenda (Conflict at the last one)."""
    if session.phase_index + 1 >= len(session.dialogue.phases):
        raise Conflict(_("the session is already at its last phase"))
    return _move_to_phase(session, session.phase_index + 1, by)


@transaction.atomic
def set_phase(session: Session, index: int, by: User) -> Session:
    """Move the session to any phase of its agenda (e.g. back to revisit one)."""
    return _move_to_phase(session, index, by)


@transaction.atomic
def write_session_notes(session: Session, notes: str, by: User) -> None:
    """Replace the facilitators' notes of a session (sealed; never shown to participants)."""
    permissions.require(permissions.can_facilitate(by, session.dialogue), _("write notes"))
    box = box_for_sealing(session.dialogue.initiative_id)
    session.notes.write(
        box,
        clean_text(notes, "notes", max_chars=MAX_LONG_TEXT_CHARS, required=False, multiline=True),
    )
    session.save(update_fields=["notes_sealed"])


# -- back channel -----------------------------------------------------------------------


@transaction.atomic
def send_back_channel_message(
    initiative: Initiative, from_party: Party, to_party: Party, body: str, by: User
) -> BackChannelMessage:
    """Record a message one party asked the facilitators to carry to another (sealed)."""
    roles = (
        set(
            Membership.objects.filter(user_id=by.pk, initiative=initiative).values_list(
                "role", flat=True
            )
        )
        if by.is_authenticated
        else set()
    )
    permissions.require(
        bool(roles & {MemberRole.CONVENER, MemberRole.FACILITATOR}), _("carry messages")
    )
    if from_party.initiative_id != initiative.pk or to_party.initiative_id != initiative.pk:
        raise InvalidInput(_("both parties must belong to this initiative"), field="party")
    if from_party.pk == to_party.pk:
        raise InvalidInput(_("a message goes from one party to another"), field="to_party")
    message = BackChannelMessage(
        initiative=initiative, from_party=from_party, to_party=to_party, carried_by=by
    )
    message.body.write(
        box_for_sealing(initiative.pk),
        clean_text(body, "body", max_chars=MAX_LONG_TEXT_CHARS, multiline=True),
    )
    message.save()
    return message
