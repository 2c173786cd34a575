"""The transfer log, Track One events and the timeline that puts them beside the dialogue.

The log records who conveyed which brief or idea to which Track One body, when, by
what channel, how it was received and what follow-up is due. It is the initiative's
own record, sealed and shown to its conveners and facilitators only. Because it is
free text about people, an entry that names one of the initiative's participants (by
handle or recorded real name) is refused: participants are recorded by role
("a participant from the Downstream side"), never by name.

The timeline lists, by date, the dialogue side (sessions of the dialogues the reader
may know of -- a secret dialogue's sessions only for those who may observe it --,
briefs issued, transfers) beside Track One events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Participant, ParticipantIdentity
from tracktwo.dialogues.models import Session as DialogueSession
from tracktwo.dialogues.queries.meetings import require_may_leave
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import InvalidInput, NotFound
from tracktwo.practice.formats import Confidentiality, MemberRole
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing
from tracktwo.safety.sealed import Box
from tracktwo.transfer.content import Scrubber
from tracktwo.transfer.models import (
    Brief,
    BriefState,
    Channel,
    ConveyorKind,
    TrackOneEvent,
    TransferEntry,
)

ENTRY_TEXTS = ("conveyed_by", "idea", "body", "reaction", "follow_up")


@dataclass(frozen=True)
class EntryView:
    id: int
    conveyed_on: date
    channel: str
    channel_name: str
    conveyor_kind: str
    conveyed_by: str
    idea: str
    body: str
    reaction: str
    follow_up: str
    follow_up_due: date | None
    follow_up_done: bool
    brief_id: int | None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["conveyed_on"] = self.conveyed_on.isoformat()
        data["follow_up_due"] = self.follow_up_due.isoformat() if self.follow_up_due else None
        return data


@dataclass(frozen=True)
class EventView:
    id: int
    happened_on: date
    body: str
    description: str


@dataclass(frozen=True)
class TimelineRow:
    on: date
    side: str  # "dialogue" | "track-one"
    kind: str  # "session" | "brief" | "transfer" | "event"
    text: str


def can_keep_log(user: Any, initiative: Initiative) -> bool:
    """Conveners, and facilitators of the whole initiative.

    Not a facilitator of one dialogue: the log, the Track One events and the timeline span
    every dialogue of the initiative, and the log links briefs (with their titles) of
    dialogues such a facilitator may not know exist, such as a secret meeting.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user_id=user.pk,
        initiative=initiative,
        dialogue__isnull=True,
        role__in=(MemberRole.CONVENER, MemberRole.FACILITATOR),
    ).exists()


def get_initiative(initiative_id: int) -> Initiative:
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None:
        raise NotFound("no such initiative")
    return initiative


def _parse_date(value: Any, field: str, *, required: bool = True) -> date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput("must be a date such as 2025-03-31", field=field)


def _names_scrubber(initiative: Initiative, box: Box) -> Scrubber:
    people = Participant.objects.filter(dialogue__initiative=initiative)
    names = [p.handle.read(box) for p in people.only("handle_sealed", "dialogue_id")]
    for identity in ParticipantIdentity.objects.filter(
        participant__dialogue__initiative=initiative
    ):
        names.append(identity.record.read(box).get("real_name", ""))
    return Scrubber(names)


def _refuse_names(texts: dict[str, str], scrub: Scrubber) -> None:
    for field, text in texts.items():
        if scrub.names_in(text):
            raise InvalidInput(
                "names a participant: record participants by role and side, never by name",
                field=field,
            )


def _entry_values(initiative: Initiative, values: dict[str, Any], box: Box) -> dict[str, Any]:
    texts = {
        "conveyed_by": clean_text(
            values.get("conveyed_by", ""), "conveyed_by", max_chars=MAX_NAME_CHARS
        ),
        "idea": clean_text(
            values.get("idea", ""), "idea", max_chars=MAX_LONG_TEXT_CHARS, multiline=True
        ),
        "body": clean_text(values.get("body", ""), "body", max_chars=MAX_NAME_CHARS),
    }
    for field in ("reaction", "follow_up"):
        texts[field] = clean_text(
            values.get(field, ""),
            field,
            max_chars=MAX_LONG_TEXT_CHARS,
            required=False,
            multiline=True,
        )
    _refuse_names(texts, _names_scrubber(initiative, box))
    channel = values.get("channel")
    if channel not in Channel.values:
        raise InvalidInput(f"must be one of: {', '.join(Channel.values)}", field="channel")
    kind = values.get("conveyor_kind")
    if kind not in ConveyorKind.values:
        raise InvalidInput(
            f"must be one of: {', '.join(ConveyorKind.values)}", field="conveyor_kind"
        )
    on = _parse_date(values.get("conveyed_on"), "conveyed_on")
    due = _parse_date(values.get("follow_up_due"), "follow_up_due", required=False)
    brief_id = values.get("brief")
    brief = None
    if brief_id not in (None, ""):
        brief = Brief.objects.filter(
            pk=brief_id, dialogue__initiative=initiative, state=BriefState.ISSUED
        ).first()
        if brief is None:
            raise InvalidInput("is not an issued brief of this initiative", field="brief")
        require_may_leave(brief.dialogue, brief.session, "Track One log entry")
    assert on is not None
    sealed = {
        **texts,
        "conveyed_on": on.isoformat(),
        "follow_up_due": due.isoformat() if due else "",
    }
    return {
        "sealed": sealed,
        "channel": channel,
        "conveyor_kind": kind,
        "brief": brief,
        "follow_up_done": bool(values.get("follow_up_done", False)),
    }


@transaction.atomic
def log_transfer(initiative: Initiative, by: User, **values: Any) -> TransferEntry:
    """A new transfer-log entry (conveners and facilitators; audited)."""
    permissions.require(can_keep_log(by, initiative), "keep the transfer log")
    box = box_for_sealing(initiative.pk)
    clean = _entry_values(initiative, values, box)
    entry = TransferEntry(
        initiative=initiative,
        brief=clean["brief"],
        channel=clean["channel"],
        conveyor_kind=clean["conveyor_kind"],
        follow_up_done=clean["follow_up_done"],
        recorded_by=by,
    )
    entry.text.write(box, clean["sealed"])
    entry.save()
    _audit("transfer.logged", entry, by)
    return entry


@transaction.atomic
def update_transfer(entry: TransferEntry, by: User, **values: Any) -> TransferEntry:
    """Change an entry, e.g. to record the reaction or the follow-up (audited)."""
    entry = TransferEntry.objects.select_for_update().select_related("initiative").get(pk=entry.pk)
    initiative = entry.initiative
    permissions.require(can_keep_log(by, initiative), "keep the transfer log")
    box = box_for_sealing(initiative.pk)
    current = _entry_view(entry, box).to_json()
    current["brief"] = entry.brief_id
    clean = _entry_values(initiative, {**current, **values}, box)
    entry.text.write(box, clean["sealed"])
    entry.brief = clean["brief"]
    entry.channel = clean["channel"]
    entry.conveyor_kind = clean["conveyor_kind"]
    entry.follow_up_done = clean["follow_up_done"]
    entry.save()
    _audit("transfer.updated", entry, by)
    return entry


def _audit(action: str, entry: TransferEntry, by: User) -> None:
    record(
        action,
        actor=Actor.user(by),
        initiative_id=entry.initiative_id,
        target_type="transfer",
        target_id=entry.pk,
        details={"brief": entry.brief_id, "channel": entry.channel},
    )


def get_entry(entry_id: int) -> TransferEntry:
    entry = TransferEntry.objects.select_related("initiative").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("no such transfer-log entry")
    return entry


def _entry_view(entry: TransferEntry, box: Box) -> EntryView:
    text = entry.text.read(box)
    due = text.get("follow_up_due") or ""
    return EntryView(
        id=entry.pk,
        conveyed_on=date.fromisoformat(text["conveyed_on"]),
        channel=entry.channel,
        channel_name=str(Channel(entry.channel).label),
        conveyor_kind=entry.conveyor_kind,
        conveyed_by=text["conveyed_by"],
        idea=text["idea"],
        body=text["body"],
        reaction=text.get("reaction", ""),
        follow_up=text.get("follow_up", ""),
        follow_up_due=date.fromisoformat(due) if due else None,
        follow_up_done=entry.follow_up_done,
        brief_id=entry.brief_id,
    )


def entry_view(entry: TransferEntry) -> EntryView:
    """One entry, opened (the caller checked the reader may see it)."""
    return _entry_view(entry, box_for(entry.initiative_id))


def event_view(event: TrackOneEvent) -> EventView:
    """One Track One event, opened (the caller checked the reader may see it)."""
    return _event_view(event, box_for(event.initiative_id))


def _event_view(event: TrackOneEvent, box: Box) -> EventView:
    text = event.text.read(box)
    return EventView(
        event.pk, date.fromisoformat(text["happened_on"]), text["body"], text["description"]
    )


def transfer_log(initiative: Initiative, by: User) -> list[EntryView]:
    """The log, oldest first."""
    permissions.require(can_keep_log(by, initiative), "read the transfer log")
    box = box_for(initiative.pk)
    views = [_entry_view(e, box) for e in TransferEntry.objects.filter(initiative=initiative)]
    return sorted(views, key=lambda v: (v.conveyed_on, v.id))


@transaction.atomic
def add_track_one_event(
    initiative: Initiative, by: User, *, happened_on: Any, body: str, description: str
) -> TrackOneEvent:
    """Record something that happened in the official process (audited)."""
    permissions.require(can_keep_log(by, initiative), "record Track One events")
    on = _parse_date(happened_on, "happened_on")
    assert on is not None
    text = {
        "happened_on": on.isoformat(),
        "body": clean_text(body, "body", max_chars=MAX_NAME_CHARS),
        "description": clean_text(
            description, "description", max_chars=MAX_LONG_TEXT_CHARS, multiline=True
        ),
    }
    box = box_for_sealing(initiative.pk)
    _refuse_names(
        {"body": text["body"], "description": text["description"]}, _names_scrubber(initiative, box)
    )
    event = TrackOneEvent(initiative=initiative, recorded_by=by)
    event.text.write(box, text)
    event.save()
    record(
        "transfer.event_recorded",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="track-one-event",
        target_id=event.pk,
    )
    return event


def track_one_events(initiative: Initiative, by: User) -> list[EventView]:
    permissions.require(can_keep_log(by, initiative), "read Track One events")
    box = box_for(initiative.pk)
    views = [_event_view(e, box) for e in TrackOneEvent.objects.filter(initiative=initiative)]
    return sorted(views, key=lambda v: (v.happened_on, v.id))


def _session_day(session: DialogueSession, box: Box) -> date:
    raw = session.starts_at.read(box)
    if raw:
        return date.fromisoformat(raw[:10])
    return session.created_at.date()


def timeline(initiative: Initiative, by: User) -> list[TimelineRow]:
    """Dialogue sessions, briefs and transfers beside Track One events, by date."""
    permissions.require(can_keep_log(by, initiative), "read the timeline")
    box = box_for(initiative.pk)
    rows: list[TimelineRow] = []
    for dialogue in permissions.visible_dialogues(by, initiative):
        title = dialogue.title.read(box)
        for session in DialogueSession.objects.filter(dialogue=dialogue).order_by("number"):
            session.dialogue = dialogue
            secret = (
                session.regime == Confidentiality.SECRET
            )  # the meeting's own, or the dialogue's
            label = f"{title}: session {session.number}" + (" (secret)" if secret else "")
            rows.append(TimelineRow(_session_day(session, box), "dialogue", "session", label))
        for brief in Brief.objects.filter(dialogue=dialogue, state=BriefState.ISSUED):
            assert brief.issued_at is not None
            rows.append(
                TimelineRow(
                    brief.issued_at.date(),
                    "dialogue",
                    "brief",
                    f"Brief {brief.pk} issued ({title}, "
                    f"{brief.recipients.count()} recipient copies)",
                )
            )
    for entry in transfer_log(initiative, by):
        rows.append(
            TimelineRow(
                entry.conveyed_on,
                "dialogue",
                "transfer",
                f"Conveyed to {entry.body} ({entry.channel_name.lower()}): {entry.idea}",
            )
        )
    for event in track_one_events(initiative, by):
        rows.append(
            TimelineRow(
                event.happened_on, "track-one", "event", f"{event.body}: {event.description}"
            )
        )
    order = {"session": 0, "brief": 1, "transfer": 2, "event": 3}
    return sorted(rows, key=lambda r: (r.on, order[r.kind]))
