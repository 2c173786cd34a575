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
from tracktwo.dialogues.models.languages import (
    GroundRulesTranslation,
    LanguageSettings,
    StatementLanguage,
    StatementTranslation,
)
from tracktwo.dialogues.models.meetings import HeldCritique, MeetingNote, OpeningAcknowledgement

__all__ = [
    "DEFAULT_SMALL_CELL_THRESHOLD",
    "Dialogue",
    "GroundRulesTranslation",
    "HeldCritique",
    "Invitation",
    "LanguageSettings",
    "MeetingNote",
    "Notice",
    "OpeningAcknowledgement",
    "Participant",
    "ParticipantIdentity",
    "Profile",
    "Session",
    "Statement",
    "StatementLanguage",
    "StatementTranslation",
    "Vote",
]
