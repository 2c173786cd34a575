"""Drafting the single text: starting it, its versions, paragraphs from common ground, amendments.

Fisher's single negotiating text: the facilitators hold the pen. They write each version
(taking in amendments the participants proposed), and may propose paragraphs from the
statements that found support on every side (the insight service's shared cut, so only
what its one suppression lets participants see). Participants propose amendments, linked to
them by an opaque key only. Every action is one transaction and checks its caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.initiatives import permissions
from tracktwo.jointtext import rules
from tracktwo.jointtext.models import Amendment, AmendmentState, JointText, TextKind, TextVersion
from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.practice.validation import clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing

MAX_PARAGRAPH_CHARS = 4000
MAX_PARAGRAPHS = 60


def _facilitate(by: User, dialogue: Dialogue) -> None:
    permissions.require(permissions.can_facilitate(by, dialogue), _("draft the joint text"))


def _open_for_drafting(joint_text: JointText) -> None:
    if joint_text.agreed_version_id is not None:
        raise Conflict(_("the joint text is agreed: its versions are closed"))


@transaction.atomic
def start(dialogue: Dialogue, kind: str, title: str, by: User) -> JointText:
    """Start the dialogue's joint text: a joint memorandum or a non-paper."""
    _facilitate(by, dialogue)
    rules.require_negotiating(dialogue)
    clean_choice(kind, "kind", TextKind.values)
    clean = clean_text(title, "title", max_chars=200)
    if JointText.objects.filter(dialogue=dialogue).exists():
        raise Conflict(_("this dialogue already has its joint text"))
    joint_text = JointText(dialogue=dialogue, kind=kind)
    box = box_for_sealing(dialogue.initiative_id)
    joint_text.title.write(box, clean)
    joint_text.distribution.write(box, [])
    joint_text.save()
    record(
        "jointtext.started",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
    )
    return joint_text


def _clean_paragraphs(paragraphs: Sequence[Any]) -> list[dict[str, Any]]:
    if not paragraphs:
        raise InvalidInput(_("a version needs at least one paragraph"), field="paragraphs")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise InvalidInput(
            _("at most %(n)d paragraphs") % {"n": MAX_PARAGRAPHS}, field="paragraphs"
        )
    out = []
    for i, item in enumerate(paragraphs):
        text = item.get("text") if isinstance(item, dict) else item
        statement = item.get("statement") if isinstance(item, dict) else None
        clean = clean_text(text, f"paragraphs[{i}]", max_chars=MAX_PARAGRAPH_CHARS, multiline=True)
        out.append({"text": clean, "statement": statement if isinstance(statement, int) else None})
    return out


@transaction.atomic
def add_version(
    joint_text: JointText,
    paragraphs: Sequence[Any],
    note: str,
    by: User,
    *,
    candidate: bool = False,
    taken: Sequence[int] = (),
) -> TextVersion:
    """Write the next version; ``taken`` amendments (ids) are marked taken, the others of the
    previous version declined."""
    dialogue = joint_text.dialogue
    _facilitate(by, dialogue)
    _open_for_drafting(joint_text)
    clean = _clean_paragraphs(paragraphs)
    what = clean_text(note, "note", max_chars=1000, required=False, multiline=True)
    latest = TextVersion.objects.filter(joint_text=joint_text).order_by("-number").first()
    version = TextVersion(
        joint_text=joint_text,
        number=(latest.number + 1) if latest else 1,
        candidate=candidate,
        created_by=by,
    )
    box = box_for_sealing(dialogue.initiative_id)
    version.paragraphs.write(box, clean)
    version.note.write(box, what)
    version.save()
    if latest is not None:
        proposed = Amendment.objects.filter(version=latest, state=AmendmentState.PROPOSED)
        proposed.filter(pk__in=list(taken)).update(state=AmendmentState.TAKEN)
        proposed.exclude(pk__in=list(taken)).update(state=AmendmentState.DECLINED)
    return version


def common_ground_paragraphs(dialogue: Dialogue) -> list[dict[str, Any]]:
    """Statements with support on every side, as paragraphs (the shared, suppressed cut)."""
    from tracktwo.insight.service import export_insight  # the analysis runs only when asked

    shared = export_insight(dialogue).shared
    cross = shared.cross_side
    if cross is None or not cross.available:
        note = cross.note if cross is not None else ""
        raise Conflict(
            _("no statement has support on every side yet") + (f": {note}" if note else "")
        )
    out = []
    for statement in cross.common_ground:
        text = shared.text_of(statement)
        if text:
            out.append({"text": text, "statement": int(statement)})
    if not out:
        raise Conflict(_("no statement has support on every side yet"))
    return out


@transaction.atomic
def propose_from_common_ground(joint_text: JointText, by: User) -> TextVersion:
    """A new version: the latest's paragraphs and, after them, every statement that found
    support on every side and is not in the text yet."""
    _facilitate(by, joint_text.dialogue)
    _open_for_drafting(joint_text)
    box = box_for(joint_text.dialogue.initiative_id)
    latest = TextVersion.objects.filter(joint_text=joint_text).order_by("-number").first()
    current = latest.paragraphs.read(box) if latest else []
    present = {p.get("statement") for p in current}
    new = [
        p for p in common_ground_paragraphs(joint_text.dialogue) if p["statement"] not in present
    ]
    if not new:
        raise Conflict(_("every statement with support on every side is in the text already"))
    note = _("Paragraphs proposed from statements with support on every side.")
    return add_version(joint_text, current + new, note, by)


@transaction.atomic
def amend(participant: Participant, paragraph: int | None, text: str) -> Amendment:
    """A participant's proposed wording for a paragraph of the latest version (None: a new
    paragraph). Linked to the participant by an opaque key only."""
    dialogue = participant.dialogue
    rules.require_participant(participant)
    rules.require_negotiating(dialogue)
    joint_text = rules.joint_text_of(dialogue)
    _open_for_drafting(joint_text)
    latest = TextVersion.objects.filter(joint_text=joint_text).order_by("-number").first()
    if latest is None:
        raise Conflict(_("the joint text has no version to amend yet"))
    box = box_for_sealing(dialogue.initiative_id)
    count = len(latest.paragraphs.read(box))
    if paragraph is not None and not 1 <= paragraph <= count:
        raise InvalidInput(
            _("must be a paragraph from 1 to %(n)d, or empty for a new one") % {"n": count},
            field="paragraph",
        )
    clean = clean_text(text, "text", max_chars=MAX_PARAGRAPH_CHARS, multiline=True)
    amendment = Amendment(
        version=latest, author=rules.voter_key(box, joint_text, participant), paragraph=paragraph
    )
    amendment.text.write(box, clean)
    amendment.save()
    return amendment
