"""Read models of a sustained dialogue (decrypted, permission-free: callers check first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box
from tracktwo.sustained import rules, stages
from tracktwo.sustained.models import (
    Memorandum,
    RelationshipMap,
    ScenarioWorksheet,
    StageTransition,
)


@dataclass(frozen=True)
class Marker:
    """A stage transition as the group sees it; ``decided_by`` is a member's id."""

    stage: int
    stage_name: str
    previous_stage: int | None
    meeting: int
    marker: str
    decided_by: int | None
    decided_at: datetime


@dataclass(frozen=True)
class Memo:
    meeting: int
    summary: str
    pick_up: str
    updated_at: datetime


@dataclass(frozen=True)
class MapVersion:
    version: int
    meeting: int
    elements: dict[str, str]
    by_facilitator: bool
    saved_at: datetime


@dataclass(frozen=True)
class Scenario:
    id: int
    meeting: int
    answers: dict[str, str]


def markers(dialogue: Dialogue, box: Box | None = None) -> list[Marker]:
    box = box or box_for(dialogue.initiative_id)
    rows = StageTransition.objects.filter(dialogue=dialogue).select_related("session")
    return [
        Marker(
            t.stage,
            stages.stage_name(t.stage),
            t.previous_stage,
            t.session.number,
            t.reason.read(box),
            t.decided_by_id,
            t.decided_at,
        )
        for t in rows.order_by("id")
    ]


def memoranda(dialogue: Dialogue, box: Box | None = None) -> list[Memo]:
    box = box or box_for(dialogue.initiative_id)
    rows = Memorandum.objects.filter(dialogue=dialogue).select_related("session")
    out = []
    for memo in rows.order_by("session__number"):
        data = memo.record.read(box)
        out.append(Memo(memo.session.number, data["summary"], data["pick_up"], memo.updated_at))
    return out


def carried_forward(dialogue: Dialogue, meeting: Session, box: Box | None = None) -> Memo | None:
    """The memorandum of the last meeting before ``meeting`` that has one."""
    row = (
        Memorandum.objects.filter(dialogue=dialogue, session__number__lt=meeting.number)
        .select_related("session")
        .order_by("-session__number")
        .first()
    )
    if row is None:
        return None
    data = row.record.read(box or box_for(dialogue.initiative_id))
    return Memo(row.session.number, data["summary"], data["pick_up"], row.updated_at)


def map_versions(dialogue: Dialogue, box: Box | None = None) -> list[MapVersion]:
    """Every version of the relationship map, the latest first."""
    box = box or box_for(dialogue.initiative_id)
    rows = RelationshipMap.objects.filter(dialogue=dialogue).select_related("session")
    return [
        MapVersion(
            m.version, m.session.number, m.elements.read(box), m.saved_by_id is not None, m.saved_at
        )
        for m in rows.order_by("-version")
    ]


def scenarios(dialogue: Dialogue, box: Box | None = None) -> list[Scenario]:
    box = box or box_for(dialogue.initiative_id)
    rows = ScenarioWorksheet.objects.filter(dialogue=dialogue).select_related("session")
    return [Scenario(s.pk, s.session.number, s.answers.read(box)) for s in rows.order_by("id")]


def meetings(dialogue: Dialogue) -> list[Session]:
    return list(Session.objects.filter(dialogue=dialogue).order_by("number"))


def overview(dialogue: Dialogue) -> dict[str, object]:
    """Everything the sustained-dialogue page and API show, as plain data."""
    box = box_for(dialogue.initiative_id)
    sessions = meetings(dialogue)
    meeting = sessions[-1] if sessions else None
    stage = rules.current_stage(dialogue)
    previous = carried_forward(dialogue, meeting, box) if meeting else None
    current_memo = next(
        (m for m in memoranda(dialogue, box) if meeting and m.meeting == meeting.number), None
    )
    return {
        "meeting": meeting.number if meeting else None,
        "meetings": len(sessions),
        "stage": stage,
        "stage_name": stages.stage_name(stage),
        "stage_purpose": stages.stage_purpose(stage),
        "markers": markers(dialogue, box),
        "carried_forward": previous,
        "memorandum": current_memo,
        "memoranda": memoranda(dialogue, box),
        "maps": map_versions(dialogue, box),
        "scenarios": scenarios(dialogue, box),
    }
