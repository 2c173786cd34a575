"""What a brief covers: the whole dialogue, or one of its sessions."""

from __future__ import annotations

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.practice.errors import NotFound


def session_of(dialogue: Dialogue, number: int | None) -> Session | None:
    """The dialogue's session with that number (None for the whole dialogue)."""
    if number is None:
        return None
    session = Session.objects.filter(dialogue=dialogue, number=number).first()
    if session is None:
        raise NotFound(f"the dialogue has no session {number}")
    return session
