"""Who writes what in a joint text, the opaque key of a participant's own rows, the format rule."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.jointtext.models import JointText
from tracktwo.practice.errors import Conflict, NotAllowed, OutOfFormat
from tracktwo.practice.formats import DialogueFormat, ParticipantRole
from tracktwo.safety.sealed import Box

VOTER_PURPOSE = "jointtext.voter"


def require_negotiating(dialogue: Dialogue) -> None:
    """A listening circle listens: it drafts no joint text (409 naming the format)."""
    if dialogue.format == DialogueFormat.LIVING_ROOM:
        raise OutOfFormat(
            _("a joint text is negotiated; this dialogue is a %(format)s, which only listens")
            % {"format": DialogueFormat.LIVING_ROOM.label}
        )


def joint_text_of(dialogue: Dialogue) -> JointText:
    """The dialogue's joint text (Conflict before a facilitator started one)."""
    text = JointText.objects.filter(dialogue=dialogue).first()
    if text is None:
        raise Conflict(_("this dialogue has no joint text yet"))
    return text


def voter_key(box: Box, joint_text: JointText, participant: Participant) -> str:
    """The opaque key that links a participant's amendments, ballot and approval to them."""
    return box.digest(VOTER_PURPOSE, f"{joint_text.pk}:{participant.public_id}")


def require_participant(participant: Participant) -> None:
    if not participant.active:
        raise NotAllowed(_("you have left this dialogue"))
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not amend, rank or approve the joint text"))
