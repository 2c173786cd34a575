"""Participants' contributions: writing, moderating and deleting statements, casting votes.

Each action is one transaction, checks the caller's permission itself, seals what is
confidential and writes an audit row where the action is sensitive. Errors are the
exceptions of :mod:`tracktwo.practice.errors`, each with the HTTP status the API maps
it to."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.circles.rules import refuse_votes_if_circle
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.actions.translations import record_original_language
from tracktwo.dialogues.models import (
    Dialogue,
    Notice,
    Participant,
    Session,
    Statement,
    StatementTranslation,
    Vote,
)
from tracktwo.initiatives import permissions
from tracktwo.practice.agenda import allowed_values
from tracktwo.practice.errors import (
    Conflict,
    ConsentNotGiven,
    GroundRulesNotAccepted,
    InvalidInput,
    NotAllowed,
    NotFound,
    StatementNotAccepted,
)
from tracktwo.practice.formats import Moderation, NoticeKind, ParticipantRole
from tracktwo.practice.validation import clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

MAX_STATEMENT_CHARS = 1000
VOTE_VALUES = (-1, 0, 1)
# The current meeting's fields a vote reads with its statement (one query): its id, the
# cached rule of phase_rules.allowed_votes, its phase and the end of its timed round.
MEETING_FIELDS = ("id", "vote_rule", "phase_index", "round_ends_at")


# -- statements and votes ---------------------------------------------------------------


def _require_participant_in_good_standing(participant: Participant, dialogue: Dialogue) -> None:
    if not permissions.participant_may_act(participant, dialogue):
        raise NotAllowed(_("you are not taking part in this dialogue"))
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not vote or write statements"))
    if participant.ground_rules_version_accepted < dialogue.ground_rules_version:
        raise GroundRulesNotAccepted(_("accept the dialogue's current ground rules first"))
    if participant.consent_version_accepted < dialogue.consent_version:
        raise ConsentNotGiven(_("give your consent to the dialogue's current terms first"))


@transaction.atomic
def write_statement(
    dialogue: Dialogue,
    text: str,
    *,
    participant: Participant | None = None,
    user: User | None = None,
    is_meta: bool = False,
    language: str | None = None,
) -> Statement:
    """A new statement by a participant or a facilitator (exactly one of them).

    ``language`` (a code of ``settings.LANGUAGES``) is the language it is written in;
    None: the dialogue's first language.

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
    if language is not None:
        record_original_language(statement, language)
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
        # Translations of the old words could keep the detail: they go, and back to the queue.
        StatementTranslation.objects.filter(statement=statement).delete()
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
    StatementTranslation.objects.filter(statement=statement).delete()
    return statement


@transaction.atomic
def cast_vote(participant: Participant, statement_id: int, value: int) -> Vote:
    """Record a vote (+1 agree, -1 disagree, 0 pass). Re-votes append; the last one counts.

    The current meeting and phase decide which votes count now
    (:func:`~tracktwo.dialogues.actions.phase_rules.require_vote_allowed`: a disagree vote
    while critique is held, or any vote after a timed round, is refused with the reason);
    the vote records the phase it was cast in.
    """
    if type(value) is not int or value not in VOTE_VALUES:
        raise InvalidInput(_("must be 1 (agree), -1 (disagree) or 0 (pass)"), field="vote")
    dialogue = participant.dialogue
    _require_participant_in_good_standing(participant, dialogue)
    refuse_votes_if_circle(dialogue)  # a listening circle listens: no votes
    latest = Session.objects.filter(dialogue_id=OuterRef("dialogue_id")).order_by("-number")
    rows = (
        Statement.objects.filter(pk=statement_id)
        .order_by()
        .annotate(**{f"meeting_{f}": Subquery(latest.values(f)[:1]) for f in MEETING_FIELDS})
        .values_list(
            "dialogue_id", "moderation", "deleted_at", *(f"meeting_{f}" for f in MEETING_FIELDS)
        )
    )
    row = next(iter(rows), None) if type(statement_id) is int else None
    if row is not None and row[0] == dialogue.pk and row[3] is not None:
        session_id, rule, _phase, ends = row[3:]
        if (ends is not None and ends <= timezone.now()) or value not in allowed_values(rule):
            session = Session.objects.get(pk=session_id)  # refused: the reason names the phase
            phase_rules.require_vote_allowed(dialogue, session, value)
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
        phase_index=row[5],
    )


# -- sessions and phases ----------------------------------------------------------------


# -- back channel -----------------------------------------------------------------------
