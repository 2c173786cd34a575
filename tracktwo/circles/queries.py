"""Read models of a listening circle (decrypted, permission-free: callers check first).

Reflections come without names, in an order drawn from a keyed digest of their ids (not the
order of writing), so that nobody can line them up with the turn-taking list. Only the
facilitators' page asks for :func:`turns`: who has spoken in the round, by handle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracktwo.circles.models import Circle, Reflection, Round
from tracktwo.dialogues.models import Dialogue, Participant, Session
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

ORDER_PURPOSE = "circles.reflection-order"


@dataclass(frozen=True)
class RoundView:
    id: int
    number: int
    prompt: str
    open: bool
    gathering: int


@dataclass(frozen=True)
class ReflectionView:
    text: str
    mine: bool


@dataclass(frozen=True)
class Turn:
    handle: str
    spoken: bool


@dataclass(frozen=True)
class Rhythm:
    next_on: dt.date | None
    gatherings: int
    gathering: int | None  # the current meeting's number


def rhythm(dialogue: Dialogue) -> Rhythm:
    circle = Circle.objects.filter(dialogue=dialogue).first()
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    return Rhythm(
        circle.next_on if circle else None,
        circle.gatherings if circle else 0,
        session.number if session else None,
    )


def rounds(dialogue: Dialogue, box: Box | None = None) -> list[RoundView]:
    """The circle's rounds, the latest first."""
    box = box or box_for(dialogue.initiative_id)
    rows = Round.objects.filter(circle__dialogue=dialogue).select_related("session")
    return [
        RoundView(r.pk, r.number, r.prompt.read(box), r.closed_at is None, r.session.number)
        for r in rows.order_by("-number")
    ]


def reflections(
    round_id: int, dialogue: Dialogue, reader: Participant | None, box: Box | None = None
) -> list[ReflectionView]:
    """A round's reflections, unnamed, in a keyed order; ``mine`` for the reader's own."""
    box = box or box_for(dialogue.initiative_id)
    rows = Reflection.objects.filter(round_id=round_id, round__circle__dialogue=dialogue)
    found = [(box.digest(ORDER_PURPOSE, str(r.pk)), r) for r in rows]
    found.sort(key=lambda pair: pair[0])
    reader_id = reader.pk if reader is not None else None
    return [ReflectionView(r.text.read(box), r.participant_id == reader_id) for _d, r in found]


def turns(round_id: int, dialogue: Dialogue, box: Box | None = None) -> list[Turn]:
    """Who of the circle's participants has spoken in the round (handles, alphabetical)."""
    box = box or box_for(dialogue.initiative_id)
    spoken = set(
        Reflection.objects.filter(round_id=round_id).values_list("participant_id", flat=True)
    )
    people = Participant.objects.filter(
        dialogue=dialogue, withdrawn_at__isnull=True, role=ParticipantRole.PARTICIPANT
    )
    out = [Turn(p.handle.read(box), p.pk in spoken) for p in people]
    return sorted(out, key=lambda t: t.handle.casefold())
