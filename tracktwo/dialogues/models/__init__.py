"""The dialogues app's models: dialogues and sessions, participants and what they contribute."""

from tracktwo.dialogues.models.contributions import (
    Invitation,
    Notice,
    Participant,
    ParticipantIdentity,
    Profile,
    Statement,
    Vote,
)
from tracktwo.dialogues.models.dialogue import DEFAULT_SMALL_CELL_THRESHOLD, Dialogue, Session

__all__ = [
    "DEFAULT_SMALL_CELL_THRESHOLD",
    "Dialogue",
    "Invitation",
    "Notice",
    "Participant",
    "ParticipantIdentity",
    "Profile",
    "Session",
    "Statement",
    "Vote",
]
