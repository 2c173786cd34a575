"""What a sustained dialogue allows, and the stage the group is at (reads only)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.practice.errors import Conflict, OutOfFormat
from tracktwo.practice.formats import DialogueFormat


def require_sustained(dialogue: Dialogue, what: str) -> None:
    """Refuse ``what`` (e.g. "a stage transition") outside a sustained dialogue, naming its format."""
    if dialogue.format != DialogueFormat.SUSTAINED_DIALOGUE:
        raise OutOfFormat(
            _("%(what)s belongs to a Sustained Dialogue; this dialogue is a %(format)s")
            % {"what": what, "format": DialogueFormat(dialogue.format).label}
        )


def current_meeting(dialogue: Dialogue) -> Session:
    """The latest meeting (Conflict before the first one)."""
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    if session is None:
        raise Conflict(_("no meeting has started yet: start the first meeting"))
    return session


def current_stage(dialogue: Dialogue) -> int:
    """The stage of the latest meeting (1 before any meeting or marker)."""
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    return (session.saunders_stage or 1) if session else 1
