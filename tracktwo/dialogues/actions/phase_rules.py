"""What the current meeting and phase let participants do: the one place votes are gated.

:func:`allowed_votes` is the rule; :func:`require_vote_allowed` refuses a vote out of
phase or after a timed round with a reason naming the phase, the meeting or the time.
``Session.vote_rule`` caches the rule for the vote's one-statement fast path
(:mod:`tracktwo.dialogues.api.voting`); :func:`refresh_vote_rule` rewrites it whenever
the phase, the kind of meeting or the agenda changes.

- No meeting yet: every vote (a dialogue run without meetings, as before).
- A pre-briefing, an opening or a re-entry meeting: no votes.
- The facilitated agenda, in a phase where critique is held (the brainstorm: needs and
  fears, joint thinking): agree ("I could live with this") or pass; a disagree vote is
  refused, and may be kept as a held critique for the constraints phase.
- Any other phase: agree, disagree or pass.
- After the end of a timed round: none, until the facilitator starts another round or
  clears the timer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.dialogues.queries.meetings import phase_of
from tracktwo.practice.agenda import MeetingKind, VoteRule, allowed_values, vote_rule
from tracktwo.practice.errors import HeldInPhase, RoundClosed


def rule_of(dialogue: Dialogue, session: Session | None) -> str:
    """The :class:`~tracktwo.practice.agenda.VoteRule` of the meeting in its current phase."""
    if session is None:
        return VoteRule.ALL
    return vote_rule(session.kind, phase_of(dialogue, session))


def allowed_votes(dialogue: Dialogue, session: Session | None) -> frozenset[int]:
    """The vote values (+1, 0, -1) participants may cast now (a closed round aside)."""
    return allowed_values(rule_of(dialogue, session))


def round_closed(session: Session | None, now: datetime | None = None) -> bool:
    """Whether the meeting's timed round has ended (no timer: never)."""
    if session is None or session.round_ends_at is None:
        return False
    return session.round_ends_at <= (now or timezone.now())


def require_vote_allowed(dialogue: Dialogue, session: Session | None, value: int) -> None:
    """Refuse a vote the meeting does not take now (409 with the reason)."""
    if round_closed(session):
        assert session is not None and session.round_ends_at is not None
        raise RoundClosed(
            _("the timed round of voting ended at %(time)s UTC")
            % {"time": session.round_ends_at.astimezone(UTC).strftime("%H:%M")},
            field="vote",
        )
    if value in allowed_votes(dialogue, session):
        return
    assert session is not None
    if session.kind != MeetingKind.AGENDA:
        raise HeldInPhase(
            _("votes are not taken in this meeting (%(kind)s)")
            % {"kind": MeetingKind(session.kind).label},
            field="vote",
        )
    phase = phase_of(dialogue, session)
    raise HeldInPhase(
        _(
            "disagreement is held in the phase “%(phase)s”: mark “I could live "
            "with this” or pass, or keep your critique for the constraints phase"
        )
        % {"phase": phase.name if phase else ""},
        field="vote",
    )


def critique_held(dialogue: Dialogue, session: Session | None) -> bool:
    """Whether critique is held now (the brainstorm of the facilitated agenda)."""
    return rule_of(dialogue, session) == VoteRule.HELD


def refresh_vote_rule(session: Session) -> None:
    """Rewrite the meeting's cached rule (call after any change of phase, kind or agenda)."""
    rule = rule_of(session.dialogue, session)
    if session.vote_rule != rule:
        session.vote_rule = rule
        session.save(update_fields=["vote_rule"])
