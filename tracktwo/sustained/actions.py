"""What changes a sustained dialogue: stage transitions, memoranda, relationship maps, scenarios.

Each action is one transaction and checks its caller: facilitators (and conveners) of the
dialogue move the group between stages and write the memoranda (both audited, ids only);
the group (its participants, and the facilitators) save relationship maps and scenarios.
Anything asked of a dialogue in another format is refused (``OutOfFormat``, 409).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Participant, Session
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed, OutOfFormat
from tracktwo.practice.formats import ParticipantRole
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing
from tracktwo.sustained import rules, stages
from tracktwo.sustained.models import (
    Memorandum,
    RelationshipMap,
    ScenarioWorksheet,
    StageTransition,
)

MAX_MARKER_CHARS = 500
MAX_ELEMENT_CHARS = 3000
Writer = User | Participant


def _facilitator(user: User, dialogue: Dialogue, what: str) -> None:
    permissions.require(permissions.can_facilitate(user, dialogue), what)


def _group_member(writer: Writer, dialogue: Dialogue) -> User | None:
    """The facilitator writing (None for a participant); refuses anyone else."""
    if isinstance(writer, Participant):
        if writer.dialogue_id != dialogue.pk or not writer.active:
            raise NotAllowed(_("only the group writes here"))
        if writer.role != ParticipantRole.PARTICIPANT:
            raise NotAllowed(_("observers do not write in the group's map or scenarios"))
        return None
    _facilitator(writer, dialogue, _("write for the group"))
    return writer


@transaction.atomic
def move_to_stage(dialogue: Dialogue, stage: int, marker: str, by: User) -> StageTransition:
    """Record that the group moves to ``stage`` at the current meeting, and why.

    ``marker`` is what the group sees (e.g. "What we really need to focus on is...").
    The meeting's ``saunders_stage`` (and its agenda phase) follows.
    """
    _facilitator(by, dialogue, _("move the group between stages"))
    rules.require_sustained(dialogue, _("a stage transition"))
    if stage not in stages.STAGES:
        raise InvalidInput(_("must be a stage from 1 to 5"), field="stage")
    reason = clean_text(marker, "marker", max_chars=MAX_MARKER_CHARS, multiline=True)
    session = rules.current_meeting(dialogue)
    previous = session.saunders_stage or 1
    if stage == previous and StageTransition.objects.filter(session=session).exists():
        raise Conflict(_("the group is already at stage %(n)d") % {"n": stage})
    key = stages.stage_key(stage)
    fields = {"saunders_stage": stage}
    if key in dialogue.phases:
        fields["phase_index"] = dialogue.phases.index(key)
    Session.objects.filter(pk=session.pk).update(**fields)
    transition = StageTransition(
        dialogue=dialogue, session=session, stage=stage, previous_stage=previous, decided_by=by
    )
    transition.reason.write(box_for_sealing(dialogue.initiative_id), reason)
    transition.save()
    record(
        "sustained.stage",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"stage": stage, "previous": previous, "session": session.number},
    )
    return transition


@transaction.atomic
def write_memorandum(session: Session, summary: str, pick_up: str, by: User) -> Memorandum:
    """The meeting's memorandum: what was done, what the group picks up next time."""
    dialogue = session.dialogue
    _facilitator(by, dialogue, _("write the memorandum"))
    rules.require_sustained(dialogue, _("a memorandum"))
    record_ = {
        "summary": clean_text(summary, "summary", max_chars=MAX_LONG_TEXT_CHARS, multiline=True),
        "pick_up": clean_text(
            pick_up, "pick_up", max_chars=MAX_LONG_TEXT_CHARS, multiline=True, required=False
        ),
    }
    memo = Memorandum.objects.filter(session=session).first() or Memorandum(
        dialogue=dialogue, session=session
    )
    memo.record.write(box_for_sealing(dialogue.initiative_id), record_)
    memo.written_by = by
    memo.save()
    record(
        "sustained.memorandum",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"session": session.number},
    )
    return memo


@transaction.atomic
def save_relationship_map(
    dialogue: Dialogue, elements: Mapping[str, object], by: Writer
) -> RelationshipMap:
    """A new version of the group's relationship map (the five elements; any may be empty)."""
    facilitator = _group_member(by, dialogue)
    rules.require_sustained(dialogue, _("a relationship map"))
    unknown = set(elements) - set(stages.ELEMENT_KEYS)
    if unknown:
        raise InvalidInput(_("not an element of the relationship"), field=sorted(unknown)[0])
    cleaned = {
        key: clean_text(
            elements.get(key, ""), key, max_chars=MAX_ELEMENT_CHARS, multiline=True, required=False
        )
        for key in stages.ELEMENT_KEYS
    }
    if not any(cleaned.values()):
        raise InvalidInput(_("fill at least one element"), field="identity")
    session = rules.current_meeting(dialogue)
    latest = RelationshipMap.objects.filter(dialogue=dialogue).order_by("-version").first()
    version = RelationshipMap(
        dialogue=dialogue,
        session=session,
        version=(latest.version + 1) if latest else 1,
        saved_by=facilitator,
    )
    version.elements.write(box_for_sealing(dialogue.initiative_id), cleaned)
    version.save()
    return version


@transaction.atomic
def save_scenario(
    dialogue: Dialogue, answers: Mapping[str, object], by: Writer, *, worksheet_id: int | None
) -> ScenarioWorksheet:
    """Write a stage-4 scenario on the five questions (a new one, or ``worksheet_id`` again)."""
    _group_member(by, dialogue)
    rules.require_sustained(dialogue, _("a scenario worksheet"))
    stage = rules.current_stage(dialogue)
    if stage < stages.SCENARIO_STAGE:
        raise OutOfFormat(
            _("scenarios are built at stage 4 (%(name)s); the group is at stage %(n)d (%(now)s)")
            % {
                "name": stages.stage_name(stages.SCENARIO_STAGE),
                "n": stage,
                "now": stages.stage_name(stage),
            }
        )
    cleaned = {"title": clean_text(answers.get("title", ""), "title", max_chars=200)}
    for key in stages.QUESTION_KEYS:
        cleaned[key] = clean_text(
            answers.get(key, ""), key, max_chars=MAX_ELEMENT_CHARS, multiline=True, required=False
        )
    if worksheet_id is None:
        sheet = ScenarioWorksheet(dialogue=dialogue, session=rules.current_meeting(dialogue))
    else:
        found = ScenarioWorksheet.objects.filter(pk=worksheet_id, dialogue=dialogue).first()
        if found is None:
            raise InvalidInput(_("no such scenario in this dialogue"), field="worksheet")
        sheet = found
    sheet.answers.write(box_for_sealing(dialogue.initiative_id), cleaned)
    sheet.save()
    return sheet
