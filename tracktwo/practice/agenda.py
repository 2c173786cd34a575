"""A dialogue's agenda and what each phase allows; kinds of meetings; per-meeting regimes.

Pure vocabulary and rules (no app imported): the dialogues app stores a dialogue's agenda
as a list of phase keys in ``Dialogue.phases`` (the template's keys, or ``custom-<n>``
for a phase the facilitators added) and the sealed labels of renamed or added phases;
:func:`agenda` turns both into the :class:`~tracktwo.practice.formats.Phase` objects
every view reads. :func:`vote_rule` says which votes a meeting takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.formats import Phase, template

CUSTOM_PREFIX = "custom-"
MAX_PHASES = 20
MAX_PHASE_NAME_CHARS = 120
MAX_PHASE_PURPOSE_CHARS = 500


class MeetingKind(models.TextChoices):
    """The kinds of meeting of a problem-solving workshop's lifecycle (Kelman, Burton)."""

    PRE_BRIEFING = "pre-briefing", _("Pre-briefing (one side)")
    OPENING = "opening", _("Opening and ground rules")
    AGENDA = "agenda", _("Facilitated agenda")
    RE_ENTRY = "re-entry", _("Re-entry preparation (one side)")


SIDE_KINDS = frozenset({MeetingKind.PRE_BRIEFING, MeetingKind.RE_ENTRY})


class VoteRule(models.TextChoices):
    """Which votes a meeting takes now (the cache the vote's fast path reads)."""

    ALL = "all", _("Agree, disagree or pass")
    HELD = "held", _("I could live with this, or pass (critique held)")
    NONE = "none", _("No votes in this meeting")


class NoteKind(models.TextChoices):
    """What a participant writes in a side's meeting (seen by that side and the facilitators)."""

    PRE_BRIEFING = "pre-briefing", _("Note for the pre-briefing")
    SAY_AT_HOME = "say-at-home", _("What I will say at home")
    RISK_OF_RETURN = "risk-of-return", _("Risks of my return")


NOTE_KINDS_OF: dict[str, tuple[str, ...]] = {
    MeetingKind.PRE_BRIEFING: (NoteKind.PRE_BRIEFING,),
    MeetingKind.RE_ENTRY: (NoteKind.SAY_AT_HOME, NoteKind.RISK_OF_RETURN),
}


def agenda(format_slug: str, keys: Sequence[str], labels: Mapping[str, Any]) -> tuple[Phase, ...]:
    """The dialogue's phases in order: the template's phases by key, renamed where ``labels``
    say so, and the facilitators' own (``custom-<n>``) from ``labels``.

    ``labels`` maps a key to ``{"name": ..., "purpose": ..., "held": bool}`` (any part
    optional). A key neither in the template nor in ``labels`` keeps the key as its name.
    """
    known = {phase.key: phase for phase in template(format_slug).phases}
    phases = []
    for key in keys:
        base = known.get(key)
        label = labels.get(key) or {}
        name = label.get("name") or (base.name if base else key)
        purpose = label.get("purpose") or (base.purpose if base else "")
        held = label.get("held", base.criticism_held_back if base else False)
        phases.append(Phase(key, name, purpose, criticism_held_back=bool(held)))
    return tuple(phases)


def vote_rule(kind: str, phase: Phase | None) -> str:
    """The votes a meeting of ``kind`` takes in ``phase``: none outside the facilitated
    agenda, "I could live with this" or pass while critique is held, else all three."""
    if kind != MeetingKind.AGENDA:
        return VoteRule.NONE
    if phase is not None and phase.criticism_held_back:
        return VoteRule.HELD
    return VoteRule.ALL


def allowed_values(rule: str) -> frozenset[int]:
    """The vote values (+1 agree / could live with it, 0 pass, -1 disagree) a rule allows."""
    if rule == VoteRule.NONE:
        return frozenset()
    if rule == VoteRule.HELD:
        return frozenset({1, 0})
    return frozenset({1, 0, -1})


def next_custom_key(keys: Sequence[str]) -> str:
    """A key for a new phase the facilitators add, unused in ``keys``."""
    used = {
        int(k[len(CUSTOM_PREFIX) :])
        for k in keys
        if k.startswith(CUSTOM_PREFIX) and k[len(CUSTOM_PREFIX) :].isdigit()
    }
    return f"{CUSTOM_PREFIX}{max(used, default=0) + 1}"
