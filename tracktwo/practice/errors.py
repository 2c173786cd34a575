"""Errors the dialogue and safety actions raise; the API maps ``http_status`` to the response.

Messages are safe to show to the caller: they say what is wrong and never contain
another participant's handle, text or identity.
"""

from __future__ import annotations


class DialogueError(Exception):
    """Base class: a caller's request the actions refuse. ``http_status`` is a 4xx."""

    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(DialogueError):
    """A value is missing, too long, or not one of the allowed choices (``field`` names it)."""

    http_status = 400
    code = "invalid-input"


class NotAuthenticated(DialogueError):
    """No valid participant token or sign-in."""

    http_status = 401
    code = "not-authenticated"


class NotAllowed(DialogueError):
    """The caller is known but may not do this here."""

    http_status = 403
    code = "not-allowed"


class NotFound(DialogueError):
    """No such object, or none the caller may know of."""

    http_status = 404
    code = "not-found"


class HandleTaken(DialogueError):
    """Someone in this dialogue already uses that handle (compared case- and width-blind)."""

    http_status = 409
    code = "handle-taken"


class StatementNotAccepted(DialogueError):
    """The statement is not open for voting in this dialogue."""

    http_status = 409
    code = "statement-not-accepted"


class Conflict(DialogueError):
    """The request conflicts with the current state (e.g. the last phase is already reached)."""

    http_status = 409
    code = "conflict"


class InvitationUsed(DialogueError):
    """The invitation was already used: each invitation admits one person."""

    http_status = 410
    code = "invitation-used"


class InvitationExpired(DialogueError):
    """The invitation's time ran out: ask the facilitator for a new one."""

    http_status = 410
    code = "invitation-expired"


class InvitationRevoked(DialogueError):
    """A facilitator withdrew the invitation before anyone used it."""

    http_status = 410
    code = "invitation-revoked"


class ConsentNotGiven(DialogueError):
    """The participant has not consented to the dialogue's current consent terms (or
    withdrew their consent)."""

    http_status = 400
    code = "consent-not-given"


class GroundRulesNotAccepted(DialogueError):
    """The participant has not accepted the dialogue's current ground rules."""

    http_status = 400
    code = "ground-rules-not-accepted"


class OutOfFormat(DialogueError):
    """The dialogue's format (or its current stage) does not include this activity: e.g. a
    reflection in a workshop, a vote in a listening circle, a scenario before stage 4."""

    http_status = 409
    code = "out-of-format"


class HeldInPhase(DialogueError):
    """The current phase or meeting does not take this act (e.g. a disagree vote while
    critique is held in the brainstorm); the message names the phase or the meeting."""

    http_status = 409
    code = "held-in-phase"


class RoundClosed(DialogueError):
    """The facilitator's timed round of voting has ended."""

    http_status = 409
    code = "round-closed"


class NothingLeaves(DialogueError):
    """The meeting (or dialogue) is off the record: no brief, export or log entry leaves it."""

    http_status = 409
    code = "off-the-record"
