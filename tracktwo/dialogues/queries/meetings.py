"""Read models of meetings: the agenda as the dialogue holds it, the meeting a participant
is in, a meeting's regime, and whether anything may leave a dialogue (off the record).

Decrypting, permission-free building blocks (callers check who is asking first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, MeetingNote, Participant, Session, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.practice.agenda import SIDE_KINDS, MeetingKind, agenda
from tracktwo.practice.errors import NothingLeaves
from tracktwo.practice.formats import (
    Confidentiality,
    Moderation,
    Phase,
    regime_language,
    regime_text,
)
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


def dialogue_agenda(dialogue: Dialogue, box: Box | None = None) -> tuple[Phase, ...]:
    """The dialogue's phases as it holds them (``dialogue.phases`` and its sealed labels)."""
    labels: dict[str, dict[str, object]] = {}
    if dialogue.phase_labels.is_set:
        labels = dialogue.phase_labels.read(box or box_for(dialogue.initiative_id))
    return agenda(dialogue.format, list(dialogue.phases), labels)


def phase_of(dialogue: Dialogue, session: Session | None, box: Box | None = None) -> Phase | None:
    """The phase ``session`` is in (None without a session or outside the agenda)."""
    if session is None:
        return None
    phases = dialogue_agenda(dialogue, box)
    return phases[session.phase_index] if 0 <= session.phase_index < len(phases) else None


def side_of(participant: Participant, box: Box | None = None) -> int:
    """The participant's side (party id), from their sealed profile."""
    box = box or box_for(participant.dialogue.initiative_id)
    return Profile.from_json(participant.profile.read(box)).party_id


def meeting_for(participant: Participant, box: Box | None = None) -> Session | None:
    """The latest meeting the participant attends: one for everyone, or their side's own."""
    side = side_of(participant, box)
    return (
        Session.objects.filter(dialogue_id=participant.dialogue_id)
        .filter(Q(side__isnull=True) | Q(side_id=side))
        .order_by("-number")
        .first()
    )


def attends(participant: Participant, session: Session, box: Box | None = None) -> bool:
    """Whether the participant attends ``session`` (a side's meeting: that side only)."""
    if session.dialogue_id != participant.dialogue_id:
        return False
    return session.side_id is None or session.side_id == side_of(participant, box)


@dataclass(frozen=True)
class MeetingView:
    """What every page of a meeting shows its participants."""

    number: int
    kind: str
    kind_label: str
    side: str
    regime: str
    regime_name: str
    regime_text: str
    regime_language: str  # "en" when the rule is quoted untranslated
    officials_private_capacity: bool
    round_ends_at: datetime | None
    round_open: bool
    seconds_left: int

    @property
    def minutes_left(self) -> int:
        """The time left in whole minutes, rounded up (shown without JavaScript)."""
        return -(-self.seconds_left // 60)


def meeting_view(session: Session, side_names: dict[int, str]) -> MeetingView:
    now = timezone.now()
    ends = session.round_ends_at
    return MeetingView(
        number=session.number,
        kind=session.kind,
        kind_label=str(MeetingKind(session.kind).label),
        side=side_names.get(session.side_id or 0, ""),
        regime=session.regime,
        regime_name=str(Confidentiality(session.regime).label),
        regime_text=regime_text(session.regime),
        regime_language=regime_language(session.regime),
        officials_private_capacity=session.officials_private_capacity,
        round_ends_at=ends,
        round_open=ends is not None and ends > now,
        seconds_left=max(0, int((ends - now).total_seconds())) if ends else 0,
    )


def side_notes(session: Session, box: Box | None = None) -> list[tuple[str, str]]:
    """The notes of a side's meeting as ``(kind, text)``, without their authors."""
    if session.kind not in SIDE_KINDS:
        return []
    box = box or box_for(session.dialogue.initiative_id)
    rows = MeetingNote.objects.filter(session=session).order_by("id")
    return [(note.kind, note.text.read(box)) for note in rows]


def off_the_record_meetings(dialogue: Dialogue, session: Session | None = None) -> list[int]:
    """The numbers of the meetings (of ``session`` alone, if given) held off the record; all
    of them (or [0] before any meeting) when the dialogue itself is off the record."""
    sessions = Session.objects.filter(dialogue=dialogue)
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    found = [
        s.number
        for s in sessions.order_by("number")
        if (s.confidentiality or dialogue.confidentiality) == Confidentiality.OFF_THE_RECORD
    ]
    if not found and session is None and dialogue.confidentiality == Confidentiality.OFF_THE_RECORD:
        return [0]
    return found


def require_may_leave(dialogue: Dialogue, session: Session | None, what: str) -> None:
    """Refuse (:class:`NothingLeaves`, 409) a brief, export or log entry of a dialogue or
    meeting that was held off the record: nothing said in it may leave, even unattributed."""
    numbers = off_the_record_meetings(dialogue, session)
    if not numbers:
        return
    if numbers == [0] or (session is None and dialogue.confidentiality == "off-the-record"):
        reason = _("the dialogue is off the record: no %(what)s may leave it")
    else:
        reason = _("meeting %(numbers)s was held off the record: no %(what)s may leave it")
    raise NothingLeaves(
        reason % {"what": what, "numbers": ", ".join(str(n) for n in numbers)},
        field="confidentiality",
    )


def officials_in_private_capacity(dialogue: Dialogue, session: Session | None = None) -> bool:
    """Whether a meeting (of ``session`` alone, if given) was Track 1.5: officials taking
    part in a private capacity."""
    sessions = Session.objects.filter(dialogue=dialogue, officials_private_capacity=True)
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    return sessions.exists()


def held_to_weigh(participant: Participant, session: Session | None) -> list[Statement]:
    """Statements the participant voted on only while critique was held (in the brainstorm),
    to put to them again for a full vote once critique opens (agenda meeting, phase not held).
    Empty while critique is held, outside the agenda, or without a meeting."""
    if session is None or session.kind != MeetingKind.AGENDA:
        return []
    dialogue = participant.dialogue
    phases = dialogue_agenda(dialogue)
    current = phases[session.phase_index] if 0 <= session.phase_index < len(phases) else None
    held = [i for i, phase in enumerate(phases) if phase.criticism_held_back]
    if current is None or current.criticism_held_back or not held:
        return []
    own = Vote.objects.filter(participant=participant, statement=OuterRef("pk"))
    full = own.exclude(phase_index__in=held)
    return list(
        Statement.objects.filter(
            dialogue=dialogue, moderation=Moderation.ACCEPTED, deleted_at__isnull=True
        )
        .filter(Exists(own.filter(phase_index__in=held)))
        .exclude(Exists(full))
        .order_by("id")
    )
