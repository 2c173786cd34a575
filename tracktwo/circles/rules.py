"""What a listening circle allows and refuses (no database: it reads the dialogue's format).

A listening circle (the living-room format) listens: each participant writes a reflection
in a round; nobody votes. The dialogues app calls :func:`refuse_votes_if_circle` on its
voting path, so a vote in a circle is refused with a reason naming the format.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from tracktwo.practice.errors import OutOfFormat
from tracktwo.practice.formats import DialogueFormat

CIRCLE_FORMAT = DialogueFormat.LIVING_ROOM


class HasFormat(Protocol):
    format: str


def is_circle(dialogue: HasFormat) -> bool:
    return dialogue.format == CIRCLE_FORMAT


def refuse_votes_if_circle(dialogue: HasFormat) -> None:
    """Raise ``OutOfFormat`` (409) for a vote in a listening circle."""
    if is_circle(dialogue):
        raise OutOfFormat(
            _(
                "this dialogue is a listening circle (%(format)s): nobody votes here; "
                "write a reflection in the current round instead"
            )
            % {"format": CIRCLE_FORMAT.label}
        )


def require_circle(dialogue: HasFormat, what: str) -> None:
    """Refuse ``what`` (e.g. "a reflection") outside a listening circle, naming the format."""
    if not is_circle(dialogue):
        raise OutOfFormat(
            _("%(what)s belongs to a listening circle; this dialogue is a %(format)s")
            % {"what": what, "format": DialogueFormat(dialogue.format).label}
        )
