"""Request and response bodies of the dialogues JSON API (django-ninja schemas).

Every response is made of aggregates and opaque ids: no schema here has a field for
another participant's handle, a statement's author or a vote's voter. The analysis
bodies are plain JSON objects built by :mod:`tracktwo.insight.service` (documented in
``docs/api.md``), already suppressed for the audience they are for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema

from tracktwo.dialogues.actions.contributions import MAX_STATEMENT_CHARS

# Database ids are 64-bit: anything larger is no id of ours (404/422, never a 500).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

Format = Literal[
    "problem-solving-workshop",
    "sustained-dialogue",
    "citizen-exchange",
    "track-one-and-a-half",
    "living-room",
]
Regime = Literal["chatham-house", "off-the-record", "secret"]
VoteChoice = Literal["agree", "disagree", "pass"]
VOTE_VALUES: dict[str, int] = {"agree": 1, "disagree": -1, "pass": 0}


class Detail(Schema):
    detail: Any


# -- dialogues --------------------------------------------------------------------------


class DialogueIn(Schema):
    title: str = Field(max_length=1000)
    format: Format
    confidentiality: Regime
    parties: list[Annotated[str, Field(max_length=1000)]] = Field(default=[], max_length=20)
    initiative: Id | None = None
    description: str = Field(default="", max_length=40_000)
    moderation_required: bool = True
    small_cell_threshold: int = Field(default=5, ge=2, le=100)


class PartyOut(Schema):
    id: int
    name: str


class PhaseOut(Schema):
    index: int
    key: str
    name: str
    purpose: str


class DialogueOut(Schema):
    id: int
    initiative: int
    title: str
    description: str
    format: str
    format_name: str
    confidentiality: str
    regime_text: str
    parties: list[PartyOut]
    phases: list[PhaseOut]
    current_phase: int | None = Field(description="phase index of the current session, if any")
    session: int | None = Field(description="number of the current session, if any")
    moderation_required: bool
    results_shared: bool
    ground_rules: list[str]
    ground_rules_version: int
    small_cell_threshold: int
    role: str = Field(description="the caller's role here: convener, facilitator, observer, ...")
    effective_risk: str | None = None  # facilitators only: the level, never whose


# -- invitations and joining ------------------------------------------------------------


class InvitationIn(Schema):
    party: Id
    track: int | None = Field(default=None, ge=1, le=9)
    role: Literal["participant", "observer"] = "participant"
    official: bool = False
    expires_in_hours: int = Field(default=168, ge=1, le=2160)


class InvitationOut(Schema):
    id: int = Field(description="the invitation's id, to revoke it while nobody has used it")
    token: str
    url: str = Field(description="the join page: /join/<token>")
    expires_at: datetime


class OpenInvitationOut(Schema):
    """An invitation that still admits someone (its token is never shown again)."""

    id: int
    party: PartyOut
    track: int | None
    role: str
    official: bool
    created_at: datetime
    expires_at: datetime


class InvitationCountsOut(Schema):
    open: int
    used: int
    expired: int
    revoked: int


class InvitationsOut(Schema):
    open: list[OpenInvitationOut]
    counts: InvitationCountsOut


class JoinIn(Schema):
    token: str = Field(max_length=200)
    handle: str = Field(max_length=1000)
    accept_ground_rules: bool = False
    languages: list[Annotated[str, Field(max_length=40)]] = Field(default=[], max_length=10)
    gender: str = Field(default="", max_length=200)
    region: str = Field(default="", max_length=500)


class JoinOut(Schema):
    participant_token: str = Field(description="bearer token for this participant; shown once")
    recovery_code: str = Field(description="lets the participant get a new token; shown once")
    handle: str
    role: str
    dialogue: DialogueOut


class RecoverIn(Schema):
    handle: str = Field(max_length=1000)
    recovery_code: str = Field(max_length=200)


class GroundRulesIn(Schema):
    version: int = Field(ge=1, le=2**31)


class WithdrawIn(Schema):
    remove_contributions: bool = False


class WithdrawOut(Schema):
    withdrawn: bool
    contributions_removed: bool


# -- statements and votes ---------------------------------------------------------------


class StatementIn(Schema):
    text: str = Field(max_length=MAX_STATEMENT_CHARS)
    is_meta: bool = False


class StatementOut(Schema):
    id: int
    text: str
    moderation: str
    is_seed: bool
    is_meta: bool
    redacted: bool
    phase_index: int | None
    created_at: datetime
    mine: bool = Field(default=False, description="written by the caller (participants only)")
    language: str | None = Field(
        default=None, description="the language the text is in (a reader's, or the original's)"
    )
    translated: bool = Field(default=False, description="the text is a translation")
    original_language: str | None = Field(
        default=None, description="the statement's own language (?original=true: its words)"
    )


class ModerationIn(Schema):
    state: Literal["accepted", "rejected", "pending"]
    redacted_text: str | None = Field(default=None, max_length=MAX_STATEMENT_CHARS)


class NextStatementOut(Schema):
    id: int
    text: str
    is_seed: bool
    is_meta: bool
    phase_index: int | None
    remaining: int = Field(description="statements left to vote on, this one included")
    language: str | None = Field(
        default=None, description="the language the text is in (a reader's, or the original's)"
    )
    translated: bool = Field(default=False, description="the text is a translation")
    original_language: str | None = Field(
        default=None, description="the statement's own language (?original=true: its words)"
    )


class VoteIn(Schema):
    statement: Id
    vote: VoteChoice


class VoteOut(Schema):
    statement: int
    vote: VoteChoice


# -- facilitation -----------------------------------------------------------------------


class PhaseIn(Schema):
    phase: int | None = Field(
        default=None, ge=0, le=100, description="jump to this phase; omitted: the next one"
    )
    new_session: bool = Field(default=False, description="start a new session (meeting) first")


class PhaseStateOut(Schema):
    session: int
    phase_index: int
    phase: str
    saunders_stage: int | None


class ShareIn(Schema):
    shared: bool = True


class ShareOut(Schema):
    results_shared: bool


class BalanceOut(Schema):
    total: int
    by_party: dict[str, int]
    by_track: dict[str, int]
    by_gender: dict[str, int]
    by_region: dict[str, int]
    officials: int


class NoticeOut(Schema):
    id: int
    kind: str
    body: str
    created_at: datetime
    read: bool


class MeOut(Schema):
    handle: str
    role: str
    party: str
    track: int | None
    ground_rules_version_accepted: int
    ground_rules_version: int
    votes: int = Field(description="statements the caller has voted on")
    remaining: int = Field(description="accepted statements the caller has not voted on")
    position: dict[str, Any] = Field(description="the caller's own place among the groups")
    notices: list[NoticeOut]


# -- meetings, agenda, timed rounds (issue 13) -----------------------------------------------

MeetingKindIn = Literal["pre-briefing", "opening", "agenda", "re-entry"]
RegimeOrDefault = Literal["", "chatham-house", "off-the-record", "secret"]


class AgendaPhaseIn(Schema):
    key: str | None = Field(default=None, max_length=40, description="omitted: a new phase")
    name: str | None = Field(default=None, max_length=1000)
    purpose: str | None = Field(default=None, max_length=2000)
    held: bool | None = Field(default=None, description="critique held in this phase")


class AgendaIn(Schema):
    phases: list[AgendaPhaseIn] = Field(max_length=100)


class AgendaPhaseOut(Schema):
    index: int
    key: str
    name: str
    purpose: str
    held: bool


class MeetingIn(Schema):
    kind: MeetingKindIn = "agenda"
    side: Id | None = Field(default=None, description="the party of a side's own meeting")
    confidentiality: RegimeOrDefault = Field(default="", description="blank: the dialogue's")
    officials_private_capacity: bool = Field(default=False, description="Track 1.5")


class MeetingRegimeIn(Schema):
    confidentiality: RegimeOrDefault = ""
    officials_private_capacity: bool = False


class RoundIn(Schema):
    minutes: int = Field(ge=1, le=240)


class MeetingOut(Schema):
    number: int
    kind: str
    side: int | None
    confidentiality: str = Field(description="the regime the meeting is held under")
    regime_text: str
    officials_private_capacity: bool
    phase_index: int
    phase: str | None
    votes_allowed: list[VoteChoice] = Field(description="what a participant may vote now")
    round_ends_at: datetime | None
    round_open: bool
    seconds_left: int


class MeetingNoteIn(Schema):
    kind: Literal["pre-briefing", "say-at-home", "risk-of-return"]
    text: str = Field(max_length=20_000)


class MeetingNoteOut(Schema):
    kind: str
    text: str


class HeldCritiqueIn(Schema):
    statement: Id
    note: str = Field(default="", max_length=20_000)


class HeldCritiqueOut(Schema):
    id: int
    statement: int
    note: str
    phase_index: int | None
